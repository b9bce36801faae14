/**
 * Tickets created per second over HTTP, with p50/p99 latency. The api runs as its own process (as in
 * production), the load comes from this process: keep-alive connections, a fixed number in flight.
 */
import { ApiProcess, DEMO_PASSWORD, prepareEnvironment } from '../support/harness';
import { ms, percentile } from './stats';

export const title = 'Tickets created over HTTP';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

async function load(url: string, token: string, seconds: number, concurrency: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ subject: `Bench ${n++}`, description: 'The printer is on fire.', severity: 1 + (n % 3) }),
        });
        await res.arrayBuffer();
        if (res.status === 201) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, errors, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), elapsed };
}

export async function run(): Promise<string> {
  const h = await prepareEnvironment();
  const api = await new ApiProcess({ ...h.env, PORT: '0' }).start();
  try {
    const url = `http://127.0.0.1:${api.port}`;
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'alice@acme.example', password: DEMO_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    await load(url, token, 3, CONCURRENCY); // warm-up
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await load(url, token, SECONDS, CONCURRENCY));
    const best = [...runs].sort((a, b) => a.perSecond - b.perSecond)[1]; // median run
    const rows = runs.map((r, i) => `| ${i + 1} | ${r.count} | ${r.errors} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} |`);
    return [
      `One api process (\`npm run start:api\`, NestJS + TypeORM, one transaction per ticket: ticket, history, SLA target rows; then the`,
      `warning and breach jobs added to BullMQ), PostgreSQL 15 and Redis 7 on the same 2-core machine; the load generator (Node fetch,`,
      `${CONCURRENCY} requests in flight, ${SECONDS} s per run) shares the CPU. A customer raises severity 1–3 tickets on "Standard support".`,
      '',
      '| run | tickets | errors | tickets/s | p50 | p99 |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `**Median run: ${best.perSecond.toFixed(0)} tickets/s, p50 ${ms(best.p50)}, p99 ${ms(best.p99)}** (goal: ≥ 1,000 tickets/s).`,
    ].join('\n');
  } finally {
    await api.kill('SIGTERM');
    await h.dispose();
  }
}
