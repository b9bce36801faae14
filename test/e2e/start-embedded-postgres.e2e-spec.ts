// The embedded-PostgreSQL fallback of `npm start` (scripts/start/postgres.cjs and embedded-postgres.mjs),
// on temporary folders and free ports: a postgres left running by a killed `npm start` is found through
// its postmaster.pid and stopped, and the data folder survives restarts.
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

interface StaleResult {
  action: 'none' | 'removed' | 'stopped';
  pid?: number | null;
  port?: number | null;
  forced?: boolean;
}
interface PostgresHelpers {
  hasCluster(dir: string): boolean;
  canInitialise(dir: string): boolean;
  readPostmasterPid(
    dir: string,
  ): { pid: number | null; dataDir: string; port: number | null } | null;
  isAlive(pid: number): boolean;
  stopStalePostmaster(dir: string, options?: { timeoutMs?: number }): Promise<StaleResult>;
}
interface PortHelpers {
  freePort(): Promise<number>;
  canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgHelpers: PostgresHelpers = require('../../scripts/start/postgres.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ports: PortHelpers = require('../../scripts/start/ports.cjs');

jest.setTimeout(60_000); // initdb and two starts of a real PostgreSQL

const RUNNER = join(__dirname, '..', '..', 'scripts', 'start', 'embedded-postgres.mjs');
const children: ChildProcess[] = [];
let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'hd-start-pg-'));
  chmodSync(base, 0o755); // as root, postgres runs as the postgres user and must reach the data folder
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of ['real', 'fake-live', 'fake-stubborn'])
    await pgHelpers
      .stopStalePostmaster(join(base, dir), { timeoutMs: 2000 })
      .catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
});

function writePostmasterPid(dir: string, pid: number, port = 5999) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'postmaster.pid'),
    `${pid}\n${dir}\n1795300000\n${port}\n/tmp\nlocalhost\n  123 456\nready   \n`,
  );
}

/** A process whose command line looks like a postmaster's on dir; `stubborn` ignores SIGINT. */
function fakePostmaster(dir: string, stubborn = false): Promise<ChildProcess> {
  const code = `${stubborn ? "process.on('SIGINT', () => {});" : ''} setInterval(() => {}, 1000); console.log('up');`;
  const child = spawn(process.execPath, ['-e', code, 'postgres', '-D', dir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)));
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('stale postmaster.pid', () => {
  it('does nothing when there is no postmaster.pid', async () => {
    const dir = join(base, 'empty');
    mkdirSync(dir);
    await expect(pgHelpers.stopStalePostmaster(dir)).resolves.toEqual({ action: 'none' });
    expect(pgHelpers.hasCluster(dir)).toBe(false);
    expect(pgHelpers.canInitialise(dir)).toBe(true);
  });

  it('removes a postmaster.pid whose process is gone', async () => {
    const dir = join(base, 'fake-dead');
    const gone = spawn(process.execPath, ['-e', '0']);
    await exitOf(gone);
    writePostmasterPid(dir, gone.pid!, 5998);
    expect(pgHelpers.readPostmasterPid(dir)).toEqual(
      expect.objectContaining({ pid: gone.pid, port: 5998, dataDir: dir }),
    );
    await expect(pgHelpers.stopStalePostmaster(dir)).resolves.toEqual({
      action: 'removed',
      pid: gone.pid,
      port: 5998,
    });
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
    expect(pgHelpers.canInitialise(dir)).toBe(true);
  });

  it('removes, without killing it, a postmaster.pid whose PID now belongs to another program', async () => {
    const dir = join(base, 'fake-reused');
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(other);
    writePostmasterPid(dir, other.pid!);
    const result = await pgHelpers.stopStalePostmaster(dir);
    expect(result.action).toBe('removed');
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
    expect(pgHelpers.isAlive(other.pid!)).toBe(true);
    expect(other.exitCode).toBeNull();
    other.kill('SIGKILL');
  });

  it('stops the postgres that still runs on the folder (SIGINT) and removes the file', async () => {
    const dir = join(base, 'fake-live');
    const postmaster = await fakePostmaster(dir);
    writePostmasterPid(dir, postmaster.pid!, 5997);
    const result = await pgHelpers.stopStalePostmaster(dir);
    expect(result).toEqual({ action: 'stopped', pid: postmaster.pid, port: 5997, forced: false });
    expect(await exitOf(postmaster)).toEqual({ code: null, signal: 'SIGINT' });
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
  });

  it('kills one that ignores the shutdown request after the timeout', async () => {
    const dir = join(base, 'fake-stubborn');
    const postmaster = await fakePostmaster(dir, true);
    writePostmasterPid(dir, postmaster.pid!);
    const result = await pgHelpers.stopStalePostmaster(dir, { timeoutMs: 300 });
    expect(result).toEqual(expect.objectContaining({ action: 'stopped', forced: true }));
    expect(await exitOf(postmaster)).toEqual({ code: null, signal: 'SIGKILL' });
  });
});

describe('embedded PostgreSQL', () => {
  const dir = () => join(base, 'real');
  const password = `pw-${process.pid}`;
  let port: number;

  function startRunner(): Promise<{ child: ChildProcess; output: () => string }> {
    const child = spawn(process.execPath, [RUNNER, dir(), String(port)], {
      env: { ...process.env, EMBEDDED_PG_PASSWORD: password },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('embedded-postgres ready')) resolve({ child, output: () => out });
      });
      child.once('exit', (code) => reject(new Error(`runner exited ${code}: ${out}`)));
    });
  }

  async function query(sql: string) {
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    port = await ports.freePort();
  });

  it('initialises once, survives a SIGKILL of its owner (postgres found and stopped via postmaster.pid), and keeps the data', async () => {
    const first = await startRunner();
    expect(first.output()).toContain('creating a PostgreSQL cluster');
    expect(pgHelpers.hasCluster(dir())).toBe(true);
    await query('CREATE TABLE kept (note text)');
    await query("INSERT INTO kept VALUES ('written before the crash')");

    first.child.kill('SIGKILL');
    await exitOf(first.child);
    const left = pgHelpers.readPostmasterPid(dir());
    expect(left?.port).toBe(port);
    expect(pgHelpers.isAlive(left!.pid!)).toBe(true);
    expect(await ports.canConnect('127.0.0.1', port)).toBe(true); // the orphan still holds the port

    const stopped = await pgHelpers.stopStalePostmaster(dir());
    expect(stopped).toEqual(expect.objectContaining({ action: 'stopped', pid: left!.pid, port }));
    expect(pgHelpers.isAlive(left!.pid!)).toBe(false);
    expect(await ports.canConnect('127.0.0.1', port)).toBe(false);

    const second = await startRunner();
    expect(second.output()).not.toContain('creating a PostgreSQL cluster');
    expect(await query('SELECT note FROM kept')).toEqual([{ note: 'written before the crash' }]);

    second.child.stdin!.end(); // what happens when `npm start` dies: the runner stops postgres itself
    expect(await exitOf(second.child)).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir(), 'postmaster.pid'))).toBe(false);
    expect(await ports.canConnect('127.0.0.1', port)).toBe(false);
  });

  it('refuses a non-empty folder that holds no cluster, saying what to do', async () => {
    const junk = join(base, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'notes.txt'), 'not a database');
    const child = spawn(process.execPath, [RUNNER, junk, String(port)], {
      env: { ...process.env, EMBEDDED_PG_PASSWORD: password },
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    expect(await exitOf(child)).toEqual({ code: 1, signal: null });
    expect(err).toContain(
      `${junk} is not empty but holds no PostgreSQL cluster (no PG_VERSION). Move it away and start again.`,
    );
  });
});
