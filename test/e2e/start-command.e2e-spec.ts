// `npm start` (scripts/start.mjs) end to end, on a copy of the start scripts in a temporary project whose
// migrate / seed / start:api / start:worker are small stand-ins: real PostgreSQL (a fresh database that
// start.mjs must create), the local Redis, the real mail catcher, every port chosen free (0).
// It checks what a newcomer sees: the logins and addresses printed, the api answering, the worker's mail
// on the mail catcher page, Ctrl-C stopping everything, and a restart after a SIGKILL cleaning up.
import { ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_PG_URL } from '../support/database';
import { TEST_REDIS_URL } from '../support/harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const children = require('../../scripts/start/children.cjs') as {
  readRunFile(file: string): unknown;
  stopLeftovers(run: unknown): Promise<string[]>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { redact } = require('../../scripts/start/postgres.cjs') as { redact(url: string): string };

jest.setTimeout(90_000);

const repo = join(__dirname, '..', '..');
const ADMIN_URL = TEST_PG_URL;
const databaseUrl = (name: string) =>
  Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
const database = `hd_test_start_${process.pid}_${Date.now() % 100000}`;

const STAND_IN = `
const [role] = process.argv.slice(2);
const http = require('node:http');
if (role === 'migrate') {
  const { Client } = require('pg');
  const c = new Client(process.env.DATABASE_URL);
  c.connect().then(() => c.query('CREATE TABLE IF NOT EXISTS stand_in (id int)')).then(() => c.end()).then(() => console.log('Ran migrations: StandIn'));
} else if (role === 'seed') {
  console.log('admin  ' + (process.env.SEED_ADMIN_EMAIL || 'admin@helpdesk.local') + '  admin-password');
  console.log('agent  agent1@helpdesk.local  demo-password  level 1');
} else {
  const port = Number(role === 'api' ? process.env.PORT : process.env.WORKER_PORT);
  http.createServer((req, res) => res.end(role + ' ok')).listen(port, () => console.log(role + ' listening on ' + port));
  if (role === 'worker') {
    require('nodemailer').createTransport(process.env.SMTP_URL)
      .sendMail({ from: process.env.MAIL_FROM || 'helpdesk@helpdesk.local', to: 'admin@helpdesk.local', subject: 'Breach: HD-000001 first response', text: 'late' })
      .then(() => console.log('alarm mail sent'), (e) => console.log('alarm mail failed: ' + e.message));
  }
  process.on('SIGTERM', () => { console.log(role + ' stopping'); process.exit(0); });
}`;

let project: string;
const running: ChildProcess[] = [];

function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hd-start-cmd-'));
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(repo, 'scripts/start.mjs'), join(dir, 'scripts/start.mjs'));
  cpSync(join(repo, 'scripts/mail-catcher.mjs'), join(dir, 'scripts/mail-catcher.mjs'));
  cpSync(join(repo, 'scripts/start'), join(dir, 'scripts/start'), { recursive: true });
  writeFileSync(join(dir, 'stand-in.cjs'), STAND_IN);
  const scripts = {
    migrate: 'node stand-in.cjs migrate',
    seed: 'node stand-in.cjs seed',
    'start:api': 'node stand-in.cjs api',
    'start:worker': 'node stand-in.cjs worker',
  };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'stand-in', private: true, scripts }),
  );
  // node_modules that npm start must find up to date (it would run npm ci otherwise): the packages the
  // scripts load, linked from the repository, and a lock that lists exactly those.
  const packages: Record<string, { version: string }> = {};
  mkdirSync(join(dir, 'node_modules'));
  for (const name of ['pg', 'smtp-server', 'mailparser', 'nodemailer']) {
    symlinkSync(join(repo, 'node_modules', name), join(dir, 'node_modules', name));
    packages[`node_modules/${name}`] = {
      version: JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8'))
        .version,
    };
  }
  const lock = JSON.stringify({
    name: 'stand-in',
    lockfileVersion: 3,
    packages: { '': {}, ...packages },
  });
  writeFileSync(join(dir, 'package-lock.json'), lock);
  writeFileSync(join(dir, 'node_modules/.package-lock.json'), lock);
  return dir;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(overrides: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: project,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl(database),
      REDIS_URL: TEST_REDIS_URL,
      PORT: '0',
      WORKER_PORT: '0',
      MAIL_CATCHER_SMTP_PORT: '0',
      MAIL_CATCHER_HTTP_PORT: '0',
      SEED_ADMIN_EMAIL: 'boss@example.test',
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => out, exited };
}

async function until(run: Run, text: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null)
      throw new Error(
        `npm start exited (${run.child.exitCode}) before "${text}":\n${run.output()}`,
      );
    if (Date.now() > deadline)
      throw new Error(`no "${text}" within ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return run.output();
}

const address = (output: string, label: string) =>
  new RegExp(`${label}\\s+(http://localhost:\\d+)/`).exec(output)![1];

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  project = makeProject();
});
afterEach(async () => {
  // a failed test never leaves an npm start running for the next one
  const live = running.filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    live.map(
      (child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
    ),
  );
});
afterAll(async () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // what a killed npm start left running (its api and worker groups) goes too
  await children.stopLeftovers(children.readRunFile(join(project, '.data/start.json')));
  const admin = new Client(ADMIN_URL);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  rmSync(project, { recursive: true, force: true });
});

describe('npm start', () => {
  it('creates the database, migrates, seeds, runs the api and the worker, shows their mail, and stops on Ctrl-C', async () => {
    const run = start();
    const output = await until(run, 'Press Ctrl-C to stop everything.');

    expect(output).toContain('[migrate] Ran migrations: StandIn');
    expect(output).toMatch(
      /Logins \(from npm run seed\):\n\s+admin\s+boss@example\.test\s+admin-password\n\s+agent\s+agent1@helpdesk\.local/,
    );
    expect(output).toContain(
      `PostgreSQL        ${redact(databaseUrl(database))} (DATABASE_URL, database created)`,
    );
    const api = address(output, 'Web app and API');
    expect(output).toContain(`API docs          ${api}/api/docs`);
    expect(await (await fetch(`${api}/health`)).text()).toBe('api ok');

    const admin = new Client(databaseUrl(database));
    await admin.connect();
    expect((await admin.query(`SELECT to_regclass('stand_in') AS t`)).rows).toEqual([
      { t: 'stand_in' },
    ]);
    await admin.end();

    const catcher = address(output, 'Mail catcher');
    await until(run, '[worker] alarm mail sent');
    expect(await (await fetch(`${catcher}/`)).text()).toContain('Breach: HD-000001 first response');
    expect(existsSync(join(project, '.data/start.json'))).toBe(true);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('[api] api stopping');
    expect(run.output()).toContain('[worker] worker stopping');
    expect(run.output()).toMatch(/Stopped\.\n$/);
    expect(await answers(`${api}/health`)).toBe(false);
    expect(await answers(`${catcher}/`)).toBe(false);
    expect(existsSync(join(project, '.data/start.json'))).toBe(false);
  });

  it('after a SIGKILL, the next start stops what the killed one left running, and a second start beside a live one is refused', async () => {
    const killed = start();
    await until(killed, '[worker] alarm mail sent');
    const output = await until(killed, 'Press Ctrl-C to stop everything.');
    const oldApi = address(output, 'Web app and API');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(await answers(`${oldApi}/health`)).toBe(true); // the orphaned api still holds its port

    const next = start();
    await until(next, 'Press Ctrl-C to stop everything.');
    expect(next.output()).toMatch(
      /Stopped what an earlier, killed npm start left running: api \(pid \d+\), worker \(pid \d+\)/,
    );
    expect(await answers(`${oldApi}/health`)).toBe(false);

    const second = start();
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `npm start is already running (pid ${next.child.pid}). Stop it (Ctrl-C in its terminal, or kill ${next.child.pid}) first.`,
    );

    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('refuses, naming the variable, a port that is taken', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const taken = String((busy.address() as AddressInfo).port);
    try {
      const run = start({ PORT: taken });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        `api: port ${taken} (from PORT) is already in use. Stop what listens there or choose another PORT.`,
      );
      expect(run.output()).not.toContain('npm run start:api');
      expect(run.output()).toMatch(/Stopped\.\n$/);
    } finally {
      busy.close();
    }
  });
});
