// What `npm test` needs before Jest runs, set up on a fresh clone with nothing but Node:
//  - node_modules installed from package-lock.json (when missing or stale) and the web app built;
//  - Debian's chromium (browser tests), dovecot-imapd (IMAP tests) and poppler-utils (PDF text), installed
//    with apt-get when we are root, else a stop at once naming the package and the command;
//  - PostgreSQL: TEST_DATABASE_URL, else the one on 127.0.0.1:5432 (trust auth), else an embedded one;
//  - Redis: TEST_REDIS_URL, else the one on 127.0.0.1:6379, else a redis-server started here.
// Returns the environment for the tests and a function that stops what was started.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { ensureInstalled, webBuildNeeded } = require('./start/install.cjs');
const { freePort } = require('./start/ports.cjs');
const { startService } = require('./start/children.cjs');
const { redisAnswers, findExecutable, redisServerArgs } = require('./start/redis.cjs');

export class SetupError extends Error {}

const say = (line) => console.log(`▸ ${line}`);

/** Debian packages the tests use: the package, and how to tell that it is there. */
const DEBIAN_PACKAGES = [
  {
    name: 'chromium',
    present: () => existsSync('/usr/bin/chromium') || !!findExecutable('chromium'),
  },
  {
    name: 'dovecot-imapd',
    present: () => ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].some((p) => existsSync(p)),
  },
  { name: 'poppler-utils', present: () => !!findExecutable('pdftotext') },
];

function debianPackages(extra) {
  const missing = [...DEBIAN_PACKAGES, ...extra].filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  const mayInstall = process.getuid?.() === 0 && !!findExecutable('apt-get');
  if (!mayInstall)
    throw new SetupError(
      `The tests need Debian's ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. Run: sudo ${command}`,
    );
  say(`Installing ${missing.join(', ')} from Debian's packages: ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: ['ignore', 'ignore', 'inherit'], env };
  spawnSync('apt-get', ['update', '-qq'], opts);
  const run = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], opts);
  const still = [...DEBIAN_PACKAGES, ...extra].filter((p) => !p.present()).map((p) => p.name);
  if (run.status !== 0 || still.length)
    throw new SetupError(`apt-get could not install ${still.join(', ')}. Run: sudo ${command}`);
}

async function connects(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err.message;
  } finally {
    await client.end().catch(() => {});
  }
}

async function embeddedPostgres(root, services) {
  const dataDir = join(root, '.data');
  const folder = join(dataDir, 'test-postgres');
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755); // postgres runs as the postgres user
  rmSync(folder, { recursive: true, force: true }); // a throw-away cluster for each run
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  say(`No PostgreSQL answers on 127.0.0.1:5432: starting the embedded PostgreSQL on port ${port}`);
  const service = startService(
    'postgres',
    process.execPath,
    [join(root, 'scripts/start/embedded-postgres.mjs'), folder, String(port)],
    {
      cwd: root,
      env: { ...process.env, EMBEDDED_PG_PASSWORD: password },
      stdin: 'pipe', // closes when npm test dies, and the embedded PostgreSQL then stops
      ready: /embedded-postgres ready/,
      graceMs: 20000,
    },
  );
  services.push(service);
  await service.started;
  return `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}

async function postgres(root, services) {
  if (process.env.TEST_DATABASE_URL) {
    const problem = await connects(process.env.TEST_DATABASE_URL);
    if (problem) throw new SetupError(`TEST_DATABASE_URL does not answer: ${problem}`);
    return process.env.TEST_DATABASE_URL;
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  const problem = await connects(local);
  if (!problem) return local;
  if (!/ECONNREFUSED|timeout/i.test(problem))
    throw new SetupError(
      `PostgreSQL on 127.0.0.1:5432 refuses ${local} (${problem}). Set TEST_DATABASE_URL to a superuser's URL.`,
    );
  return embeddedPostgres(root, services);
}

async function redis(root, services) {
  if (process.env.TEST_REDIS_URL) return process.env.TEST_REDIS_URL;
  if (await redisAnswers('127.0.0.1', 6379)) return 'redis://127.0.0.1:6379';
  const server = findExecutable('redis-server');
  if (!server)
    throw new SetupError(
      'redis-server is not installed. Run: sudo apt-get install -y redis-server',
    );
  const port = await freePort();
  const folder = join(root, '.data', 'test-redis');
  mkdirSync(folder, { recursive: true });
  say(`No Redis answers on 127.0.0.1:6379: starting ${server} on port ${port}`);
  const service = startService('redis', server, redisServerArgs(port, folder), { cwd: root });
  services.push(service);
  const deadline = Date.now() + 15000;
  while (!(await redisAnswers('127.0.0.1', port))) {
    if (service.child.exitCode !== null)
      throw new SetupError(
        `redis-server exited (code ${service.child.exitCode}); its output is above.`,
      );
    if (Date.now() > deadline)
      throw new SetupError(`redis-server did not answer on port ${port} within 15 s.`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return `redis://127.0.0.1:${port}`;
}

export async function setUp(root) {
  const services = [];
  const stop = async () => {
    for (const s of services.reverse()) await s.stop();
  };
  try {
    try {
      ensureInstalled(root, { say });
    } catch (err) {
      throw new SetupError(err.message);
    }
    const redisServer = { name: 'redis-server', present: () => !!findExecutable('redis-server') };
    const mustStartRedis = !process.env.TEST_REDIS_URL && !(await redisAnswers('127.0.0.1', 6379));
    debianPackages(mustStartRedis ? [redisServer] : []);
    if (webBuildNeeded(root)) {
      say('Building the web app (npm run web:build)');
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const build = spawnSync(npm, ['run', '--silent', 'web:build'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0)
        throw new SetupError(`npm run web:build failed:\n${build.stdout}${build.stderr}`);
    }
    const env = {
      ...process.env,
      TEST_DATABASE_URL: await postgres(root, services),
      TEST_REDIS_URL: await redis(root, services),
    };
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
