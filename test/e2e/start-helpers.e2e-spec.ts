// The decisions `npm start` takes before it runs anything: whether node_modules is stale, which ports to
// use (or a clear refusal), and whether what answers on a port is a Redis. Real sockets, a real
// redis-server on a free port, temporary folders.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface PortHelpers {
  freePort(): Promise<number>;
  isPortFree(port: number): Promise<boolean>;
  choosePort(o: {
    name: string;
    usual: number;
    requested?: string;
    variable: string;
    taken?: number[];
  }): Promise<{ port: number; moved: boolean }>;
  PortTakenError: new (message: string) => Error;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const ports: PortHelpers = require('../../scripts/start/ports.cjs');
const { installReason, missingOptionals } = require('../../scripts/start/install.cjs') as {
  installReason(root: string): string | null;
  missingOptionals(root: string): string[];
};
const redis = require('../../scripts/start/redis.cjs') as {
  redisAnswers(host: string, port: number): Promise<boolean>;
  findExecutable(name: string, path?: string): string | null;
  redisServerArgs(port: number, dir: string): string[];
};
const { humanLine } = require('../../scripts/start/children.cjs') as {
  humanLine(line: string): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

jest.setTimeout(30_000);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('installReason', () => {
  let dir: string;
  const lock = (packages: Record<string, object>) =>
    JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': {}, ...packages } });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hd-start-install-'));
    writeFileSync(
      join(dir, 'package-lock.json'),
      lock({
        'node_modules/pg': { version: '8.16.0' },
        'node_modules/@x/darwin-only': { version: '1.0.0', optional: true },
      }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for an install on a fresh clone', () => {
    expect(installReason(dir)).toBe('node_modules is missing');
    mkdirSync(join(dir, 'node_modules'));
    expect(installReason(dir)).toBe('node_modules was not installed by npm from package-lock.json');
  });

  it('is satisfied when every package is there at the locked version, skipping other platforms’ optional ones', () => {
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(
      join(dir, 'node_modules/.package-lock.json'),
      lock({ 'node_modules/pg': { version: '8.16.0' } }),
    );
    expect(installReason(dir)).toBeNull();
  });

  it('names the package that is missing, at another version, or no longer locked', () => {
    mkdirSync(join(dir, 'node_modules'));
    const hidden = join(dir, 'node_modules/.package-lock.json');
    writeFileSync(hidden, lock({}));
    expect(installReason(dir)).toBe('pg@8.16.0 is not installed');
    writeFileSync(hidden, lock({ 'node_modules/pg': { version: '8.15.0' } }));
    expect(installReason(dir)).toBe('pg is 8.15.0, package-lock.json wants 8.16.0');
    writeFileSync(
      hidden,
      lock({
        'node_modules/pg': { version: '8.16.0' },
        'node_modules/left-pad': { version: '1.3.0' },
      }),
    );
    expect(installReason(dir)).toBe('left-pad is installed but no longer in package-lock.json');
  });
});

describe('missingOptionals', () => {
  it('lists the optional packages a lock names but holds no entry for (which npm ci refuses)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-start-lock-'));
    const packages = {
      '': {},
      'node_modules/@swc/core': {
        version: '1.16.22',
        optionalDependencies: {
          '@swc/core-linux-x64-gnu': '1.16.22',
          '@swc/core-darwin-arm64': '1.16.22',
        },
      },
      'node_modules/@swc/core-linux-x64-gnu': { version: '1.16.22', optional: true },
    };
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
    expect(missingOptionals(dir)).toEqual(['@swc/core-darwin-arm64']);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('choosePort', () => {
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    busy = createServer();
    busyPort = await listen(busy);
  });
  afterAll(() => close(busy));

  it('keeps the usual port when it is free', async () => {
    const free = await ports.freePort();
    await expect(ports.choosePort({ name: 'api', usual: free, variable: 'PORT' })).resolves.toEqual(
      { port: free, moved: false },
    );
  });

  it('moves to a free port when the usual one is taken, and says so', async () => {
    const chosen = await ports.choosePort({ name: 'api', usual: busyPort, variable: 'PORT' });
    expect(chosen.moved).toBe(true);
    expect(chosen.port).not.toBe(busyPort);
    expect(await ports.isPortFree(chosen.port)).toBe(true);
  });

  it('refuses a port the user asked for when it is taken, naming the port and the variable', async () => {
    await expect(
      ports.choosePort({ name: 'api', usual: 3000, requested: String(busyPort), variable: 'PORT' }),
    ).rejects.toThrow(
      `api: port ${busyPort} (from PORT) is already in use. Stop what listens there or choose another PORT.`,
    );
    await expect(
      ports.choosePort({ name: 'api', usual: 3000, requested: 'eighty', variable: 'PORT' }),
    ).rejects.toThrow('PORT="eighty" is not a port number (0-65535)');
  });

  it('takes any free port when asked for port 0', async () => {
    const chosen = await ports.choosePort({
      name: 'api',
      usual: busyPort,
      requested: '0',
      variable: 'PORT',
    });
    expect(chosen.port).toBeGreaterThan(0);
    expect(await ports.isPortFree(chosen.port)).toBe(true);
  });

  it('does not hand out a port already given to another service', async () => {
    const free = await ports.freePort();
    const chosen = await ports.choosePort({
      name: 'worker',
      usual: free,
      variable: 'WORKER_PORT',
      taken: [free],
    });
    expect(chosen).toEqual(expect.objectContaining({ moved: true }));
    expect(chosen.port).not.toBe(free);
  });
});

describe('redisAnswers', () => {
  let server: ChildProcess | undefined;
  let dir: string;
  afterAll(() => {
    server?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is true for a real redis-server and false for another program or a closed port', async () => {
    const executable = redis.findExecutable('redis-server');
    expect(executable).not.toBeNull(); // these machines have Redis; npm start needs it when none answers
    dir = mkdtempSync(join(tmpdir(), 'hd-start-redis-'));
    const port = await ports.freePort();
    server = spawn(executable!, redis.redisServerArgs(port, dir), { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await redis.redisAnswers('127.0.0.1', port)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await redis.redisAnswers('127.0.0.1', port)).toBe(true);

    const http = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const httpPort = await listen(http);
    expect(await redis.redisAnswers('127.0.0.1', httpPort)).toBe(false);
    http.close();
    expect(await redis.redisAnswers('127.0.0.1', await ports.freePort())).toBe(false);
  });

  it('finds executables on PATH only', () => {
    expect(redis.findExecutable('node', process.env.PATH)).toMatch(/node$/);
    expect(redis.findExecutable('redis-server', '/nonexistent')).toBeNull();
  });
});

describe("humanLine (npm start shows the apps' JSON log lines readably)", () => {
  const t = '2026-12-02T19:05:01.123Z';
  it.each([
    [
      JSON.stringify({
        level: 'info',
        time: t,
        msg: 'request',
        method: 'GET',
        path: '/api/tickets',
        status: 200,
        durationMs: 3.1,
        requestId: '0a1b2c3d-4e5f-6789',
      }),
      '19:05:01 INFO  GET /api/tickets 200 3.1 ms  (req 0a1b2c3d)',
    ],
    [
      JSON.stringify({
        level: 'warn',
        time: t,
        msg: 'attempt 1 failed',
        context: 'MailProcessor',
        ticket: 'HD-000042',
        jobId: 'mail-1',
      }),
      '19:05:01 WARN  attempt 1 failed  (MailProcessor, HD-000042, job mail-1)',
    ],
    [
      JSON.stringify({ level: 'error', time: t, msg: 'boom', stack: 'Error: boom\n    at x' }),
      '19:05:01 ERROR boom\nError: boom\n    at x',
    ],
    [
      '  admin           admin@helpdesk.local   admin-password',
      '  admin           admin@helpdesk.local   admin-password',
    ],
    ['{"not":"a log line"}', '{"not":"a log line"}'],
    ['{broken', '{broken'],
  ])('%s', (line, shown) => {
    expect(humanLine(line)).toBe(shown);
  });
});
