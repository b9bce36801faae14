/**
 * The agent queue with 10,000 open tickets: time from navigation to the first rows on screen in
 * Debian's Chromium (goal < 1 s), and how smoothly the virtualised list scrolls. The API runs as its
 * own process (as in production, serving apps/web/dist) on a fresh database with the demo data.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { ensureWebBuild, launch, ROOT, WEB_DIST } from '../browser/support/browser';

export const title = 'Agent queue with 10,000 open tickets (web app)';

const TICKETS = 10_000;
const RUNS = 7;
const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = { email: 'admin@bench.test', password: 'bench-admin-password' };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

function node(script: string, env: Record<string, string>): void {
  execFileSync(process.execPath, ['-r', './scripts/swc-register.cjs', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
}

async function startApi(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', './scripts/swc-register.cjs', 'apps/api/src/main.ts'],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 60_000;
  while (!out.includes('api listening')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`api did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function json(
  base: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Deletes the Redis keys of this run's BullMQ prefix (the API queued an alarm job per ticket). */
async function flushPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function run(): Promise<string> {
  ensureWebBuild();
  const name = `hd_bench_web_${randomBytes(5).toString('hex')}`;
  const url = new URL(PG);
  url.pathname = `/${name}`;
  const port = await freePort();
  const env = {
    NODE_ENV: 'production',
    TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: url.toString(),
    REDIS_URL: REDIS,
    QUEUE_PREFIX: `hdbw${randomBytes(4).toString('hex')}`,
    PORT: String(port),
    WEB_DIST,
    SEED_ADMIN_EMAIL: ADMIN.email,
    SEED_ADMIN_PASSWORD: ADMIN.password,
    LOGIN_MAX_FAILURES: '50',
  };
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  let api: ChildProcess | undefined;
  const browser = await launch();
  try {
    node('libs/database/src/migrate.ts', env);
    node('libs/database/src/seed.ts', env);
    api = await startApi(env);
    const base = `http://127.0.0.1:${port}`;
    const login = async (email: string, password: string) =>
      (await json(base, '/api/auth/login', '', { email, password })).token as string;
    const agent = await login('agent1@helpdesk.local', 'demo-password');

    // 10,000 tickets logged by phone over the last weeks, severities 1–3, through the API.
    const t0 = Date.now();
    const now = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < TICKETS) {
          const i = next++;
          await json(base, '/api/tickets', agent, {
            subject: `Benchmark ticket ${i}`,
            description: 'Generated for the queue benchmark.',
            severity: (i % 3) + 1,
            receivedAt: new Date(now - ((i * 7919) % (21 * 86_400_000)) - 60_000).toISOString(),
            requesterEmail: i % 2 ? 'alice@acme.example' : 'lars@nordisk.example',
          });
        }
      }),
    );
    const createSeconds = (Date.now() - t0) / 1000;

    // The API's share of the time: the first page of each view, asked directly.
    const apiMs: Record<string, number[]> = { breaching: [], unassigned: [] };
    for (let r = 0; r < RUNS; r++) {
      for (const [view, limit] of [
        ['breaching', 100],
        ['unassigned', 100],
      ] as const) {
        const s = performance.now();
        await json(base, `/api/tickets?view=${view}&sort=due&limit=${limit}`, agent);
        apiMs[view].push(performance.now() - s);
      }
    }

    const context = await browser.newContext({
      baseURL: base,
      viewport: { width: 1366, height: 900 },
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('E-mail address').fill('agent1@helpdesk.local');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/desk/);

    const firstRows: Record<string, number[]> = { breaching: [], unassigned: [] };
    for (let r = 0; r < RUNS; r++) {
      for (const view of Object.keys(firstRows)) {
        await page.goto(`/desk?view=${view}`);
        // performance.now() counts from the start of this navigation.
        await page.waitForFunction(
          'document.querySelectorAll(".queue-row").length >= 10',
          undefined,
          { polling: 'raf', timeout: 30_000 },
        );
        firstRows[view].push(await page.evaluate<number>('performance.now()'));
      }
    }

    // Scrolling: move through "unassigned" frame by frame (pages load as it goes), measuring frame gaps.
    const scroll = await page.evaluate<{
      frames: number[];
      domRows: number;
      rows: number;
    }>(`new Promise((done) => {
      const el = document.querySelector('.queue-scroll');
      const frames = [];
      let last = performance.now();
      let domRows = 0;
      const step = () => {
        const t = performance.now();
        frames.push(t - last);
        last = t;
        el.scrollTop += 400;
        domRows = Math.max(domRows, document.querySelectorAll('.queue-row').length);
        // 300 frames whatever the height: the next pages load while it scrolls (sort=due, pages of 100).
        if (frames.length < 300) requestAnimationFrame(step);
        else done({ frames: frames.slice(1), domRows, rows: Math.round(el.scrollHeight / 64) });
      };
      requestAnimationFrame(step);
    })`);
    await context.close();

    const ms = (x: number) => `${Math.round(x)} ms`;
    return [
      `${TICKETS.toLocaleString('en-GB')} open tickets created through the API in ${createSeconds.toFixed(1)} s; the API serves the built SPA; Chromium ${browser.version()} headless, 1366×900.`,
      '',
      '| measure | median | min | max | goal |',
      '|---|---|---|---|---|',
      `| time to first rows, "breaching soon" (sorted by the API by due time, pages of 100) | ${ms(median(firstRows.breaching))} | ${ms(Math.min(...firstRows.breaching))} | ${ms(Math.max(...firstRows.breaching))} | < 1 s |`,
      `| time to first rows, "unassigned" (sorted by the API by due time, sort=due, pages of 100) | ${ms(median(firstRows.unassigned))} | ${ms(Math.min(...firstRows.unassigned))} | ${ms(Math.max(...firstRows.unassigned))} | < 1 s |`,
      `| of which the API's first page alone (GET /api/tickets, from Node): breaching / unassigned | ${ms(median(apiMs.breaching))} / ${ms(median(apiMs.unassigned))} | | | |`,
      `| scrolling 400 px a frame (300 frames, pages loading as it goes): frame time p50 / p95 / max | ${ms(median(scroll.frames))} / ${ms(pct(scroll.frames, 95))} / ${ms(Math.max(...scroll.frames))} | | | 60 fps ≈ 17 ms |`,
      '',
      `${RUNS} runs per view; times are \`performance.now()\` in the page when at least 10 rows are on screen, from the start of the navigation (the HTML, the scripts, the session check and the first page of tickets). The list is virtualised: at most ${scroll.domRows} rows are in the DOM while scrolling.`,
    ].join('\n');
  } finally {
    await browser.close();
    api?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await flushPrefix(env.QUEUE_PREFIX);
  }
}
