// Operations: the api and the worker, started as processes as `npm start` starts them, write JSON
// lines (level, ISO time, msg) on stdout; a request's lines carry its X-Request-Id (honoured when sane,
// else made, and returned), a job's lines its jobId and queue, lines about a ticket its reference;
// LOG_LEVEL filters; a bad LOG_LEVEL or HOST stops boot with a message naming it.
jest.setTimeout(180_000);
import { spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import request from 'supertest';
import {
  ADMIN,
  ApiProcess,
  fastCustomer,
  Harness,
  prepareEnvironment,
  ROOT,
  TestEnvironment,
  WorkerProcess,
} from '../support/harness';
import { waitFor } from '../support/wait';

type Line = Record<string, unknown> & { level: string; time: string; msg: string };

/** Every line of `out`, parsed; fails naming the first line that is not a JSON object. */
function jsonLines(out: string): Line[] {
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        throw new Error(`not a JSON line: ${l}`);
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`not an object: ${l}`);
      return v as Line;
    });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

/** Runs an app's entry point to its end (a boot that must fail); its exit code and output. */
function boot(entry: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => {
    const child = spawn(process.execPath, ['-r', './scripts/swc-register.cjs', entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

describe('JSON logs', () => {
  let env: TestEnvironment;
  let api: ApiProcess;
  let worker: WorkerProcess;
  let http: ReturnType<typeof request>;
  let customer: string;

  beforeAll(async () => {
    env = await prepareEnvironment({ RECONCILE_INTERVAL_MS: '2000', HOST: '127.0.0.1' });
    api = await new ApiProcess(env.env).start();
    worker = await new WorkerProcess(env.env).start();
    http = request(`http://127.0.0.1:${api.port}`);
    const login = async (email: string, password: string) =>
      (await http.post('/api/auth/login').send({ email, password }).expect(200)).body.token;
    const admin = await login(ADMIN.email, ADMIN.password);
    const c = await fastCustomer({ http } as unknown as Harness, admin, 'jsonlogs', [4, 600, 600]);
    customer = await login(c.email, 'demo-password');
  });
  afterAll(async () => {
    await api?.kill('SIGTERM');
    await worker?.kill('SIGTERM');
    await env?.dispose();
  });

  const apiLines = () => jsonLines(api.stdout);
  const accessLine = (requestId: string) =>
    waitFor(() => apiLines().find((l) => l.msg === 'request' && l.requestId === requestId), {
      what: `the access line of request ${requestId}`,
    });

  it('listens on HOST', () => {
    expect(apiLines().find((l) => /api listening on/.test(l.msg))?.msg).toMatch(
      /http:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it("a request's lines carry its X-Request-Id, which comes back in the response", async () => {
    const res = await http
      .post('/api/tickets')
      .set('authorization', `Bearer ${customer}`)
      .set('x-request-id', 'ops-test-0001')
      .send({ subject: 'logged', description: 'x', severity: 1 })
      .expect(201);
    expect(res.headers['x-request-id']).toBe('ops-test-0001');
    const line = await accessLine('ops-test-0001');
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/api/tickets',
      status: 201,
      ticket: res.body.reference,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(new Date(line.time).toISOString()).toBe(line.time);

    // A line the service logs while serving (after the body was parsed) carries the id too.
    await http
      .post('/api/auth/login')
      .set('x-request-id', 'ops-test-0002')
      .send({ email: 'nobody@jsonlogs.example', password: 'wrong' })
      .expect(401);
    const warned = await waitFor(
      () => apiLines().find((l) => /^failed login for nobody@jsonlogs\.example/.test(l.msg)),
      { what: 'the failed login to be logged' },
    );
    expect(warned).toMatchObject({ level: 'warn', requestId: 'ops-test-0002' });
  });

  it('without an X-Request-Id, or with one that is not sane, the api makes one; the query is not logged', async () => {
    const plain = await http.get('/health').expect(200);
    const made = plain.headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLine(made)).toMatchObject({ path: '/health', status: 200 });

    const bad = await http
      .get('/api/tickets?token=s3cret-in-query')
      .set('x-request-id', 'two words "quoted"')
      .expect(401);
    const replaced = bad.headers['x-request-id'];
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLine(replaced)).toMatchObject({ path: '/api/tickets', status: 401 });
    expect(api.stdout).not.toContain('s3cret-in-query');
  });

  it("a job's lines carry its jobId and queue, and the ticket's reference", async () => {
    const line = await waitFor(
      () => jsonLines(worker.stdout).find((l) => /^warning alarm of HD-/.test(l.msg)),
      { what: 'the worker to log the warning alarm' },
    );
    expect(line.jobId).toMatch(/^alarm-/);
    expect(line.queue).toBe('sla-alarms');
    expect(line.msg).toContain(String(line.ticket));
    expect(line.requestId).toBeUndefined();
  });

  it('LOG_LEVEL=warn leaves out the info lines', async () => {
    const port = await freePort();
    const quiet = new ApiProcess(
      { ...env.env, LOG_LEVEL: 'warn', PORT: String(port) },
      { ready: async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok },
    );
    await quiet.start();
    try {
      await request(`http://127.0.0.1:${port}`).get('/health').expect(200);
      await new Promise((ok) => setTimeout(ok, 500));
      const levels = jsonLines(quiet.stdout).map((l) => l.level);
      expect(levels.filter((l) => !['warn', 'error', 'fatal'].includes(l))).toEqual([]);
    } finally {
      await quiet.kill('SIGTERM');
    }
  });

  it.each([
    ['apps/api/src/main.ts', 'LOG_LEVEL', 'loud'],
    ['apps/worker/src/main.ts', 'LOG_LEVEL', 'INFO!'],
    ['apps/api/src/main.ts', 'HOST', 'not a host'],
    ['apps/worker/src/main.ts', 'HOST', 'http://example.com'],
  ])('%s with %s=%j stops at boot, naming it', async (entry, name, value) => {
    const run = await boot(entry, { ...env.env, [name]: value });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${name}=${JSON.stringify(value)}`);
    expect(run.stderr).toMatch(new RegExp(`${name} must be`));
  });

  it('every line the api and the worker wrote on stdout is JSON with level, ISO time and msg', () => {
    for (const out of [api.stdout, worker.stdout]) {
      const lines = jsonLines(out);
      expect(lines.length).toBeGreaterThan(5);
      for (const l of lines) {
        expect(typeof l.level).toBe('string');
        expect(new Date(l.time).toISOString()).toBe(l.time);
        expect(typeof l.msg).toBe('string');
      }
    }
    // Nest's own start-up lines too.
    expect(jsonLines(worker.stdout).some((l) => l.context === 'InstanceLoader')).toBe(true);
  });
});
