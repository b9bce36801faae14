// PostgreSQL for `npm start`: the configured one, the one on localhost, or an embedded one under .data/.
const { existsSync, readFileSync, readdirSync, unlinkSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join, resolve } = require('node:path');
const { userInfo } = require('node:os');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True when a cluster was initialised in dataDir (initdb writes PG_VERSION). */
function hasCluster(dataDir) {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** True when dataDir is missing or empty, i.e. initdb may create a cluster there. */
function canInitialise(dataDir) {
  return !existsSync(dataDir) || readdirSync(dataDir).length === 0;
}

/**
 * Reads dataDir/postmaster.pid: line 1 the PID, 2 the data directory, 3 the start time (epoch s),
 * 4 the port, 5 the socket directory, 6 the listen address. Null when there is no such file.
 */
function readPostmasterPid(dataDir) {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0], 10);
  return {
    file,
    pid: Number.isInteger(pid) && pid > 0 ? pid : null,
    dataDir: lines[1] ?? '',
    startedAt: Number.parseInt(lines[2], 10) || null,
    port: Number.parseInt(lines[3], 10) || null,
  };
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The command line of a running process, or null when it cannot be read. */
function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return (
        execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim() ||
        null
      );
    } catch {
      return null;
    }
  }
}

/** True when pid is a postgres server started on dataDir (not a PID reused by another program). */
function isPostmasterOf(pid, dataDir) {
  const cmd = commandLine(pid);
  if (cmd === null) return false;
  return /postgres/.test(cmd) && cmd.includes(resolve(dataDir));
}

/**
 * After the process that ran the embedded PostgreSQL was killed (SIGKILL), its postgres keeps running
 * and holds the port. This finds it through dataDir/postmaster.pid and stops it (fast shutdown, then
 * SIGKILL after timeoutMs). A postmaster.pid whose PID is dead or belongs to another program is removed.
 * Returns { action: 'none' | 'removed' | 'stopped', pid?, port?, forced? }.
 */
async function stopStalePostmaster(dataDir, { timeoutMs = 15000, log = () => {} } = {}) {
  const info = readPostmasterPid(dataDir);
  if (!info) return { action: 'none' };
  const remove = () => {
    if (existsSync(info.file)) unlinkSync(info.file);
  };
  if (!info.pid || !isAlive(info.pid) || !isPostmasterOf(info.pid, dataDir)) {
    remove();
    return { action: 'removed', pid: info.pid, port: info.port };
  }
  log(
    `stopping the PostgreSQL left running from an earlier start (pid ${info.pid}, port ${info.port})`,
  );
  process.kill(info.pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(info.pid) && Date.now() < deadline) await sleep(50);
  let forced = false;
  if (isAlive(info.pid)) {
    forced = true;
    process.kill(info.pid, 'SIGKILL');
    while (isAlive(info.pid)) await sleep(50);
  }
  remove();
  return { action: 'stopped', pid: info.pid, port: info.port, forced };
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Connects with the given URL; on success returns null, else the pg error. */
async function tryConnect(pg, url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return null;
  } catch (err) {
    return err;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Makes sure the database named in url exists, creating it (through the `postgres` database of the
 * same server) when missing. Throws an Error saying what went wrong when the server refuses.
 */
async function ensureDatabase(pg, url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const err = await tryConnect(pg, url);
  if (!err) return { created: false };
  if (err.code !== '3D000') throw new Error(`cannot connect to ${redact(url)}: ${err.message}`);
  const admin = new pg.Client({
    connectionString: withDatabase(url, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } catch (e) {
    if (e.code !== '42P04')
      throw new Error(
        `database "${name}" is missing and could not be created on ${redact(url)}: ${e.message}`,
      );
  } finally {
    await admin.end().catch(() => {});
  }
  return { created: true };
}

/**
 * The URL of a PostgreSQL on localhost:port that lets us in without a password (trust or peer auth,
 * as on these machines), trying the users `postgres` and the current OS user. Throws when none works.
 */
async function localPostgresUrl(pg, { port = 5432, database = 'helpdesk' } = {}) {
  const users = [...new Set(['postgres', userInfo().username])];
  const failures = [];
  for (const user of users) {
    const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`;
    const err = await tryConnect(pg, url);
    if (!err) return withDatabase(url, database);
    failures.push(`as ${user}: ${err.message}`);
  }
  throw new Error(
    `PostgreSQL answers on localhost:${port} but lets no one in without a password (${failures.join('; ')}). ` +
      `Set DATABASE_URL, e.g. DATABASE_URL=postgres://USER:PASSWORD@localhost:${port}/${database} npm start`,
  );
}

/** The URL with its password hidden, for messages. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

module.exports = {
  hasCluster,
  canInitialise,
  readPostmasterPid,
  isAlive,
  commandLine,
  isPostmasterOf,
  stopStalePostmaster,
  ensureDatabase,
  localPostgresUrl,
  withDatabase,
  redact,
};
