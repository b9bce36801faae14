/**
 * Support chat under load: 1,000 open chats, each followed live by its customer (on one api process)
 * and by an agent (on another), and messages customer → agent at a steady rate. Delivery = from the
 * customer's POST leaving here to the agent's stream event arriving here (same clock), so it counts
 * the HTTP request, the insert, PostgreSQL NOTIFY to the other process, the read and the SSE write.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { ApiProcess, DEMO_PASSWORD, prepareEnvironment } from '../support/harness';
import { openStream, type SseStream } from '../support/sse';
import { cpuSeconds, ms, percentile } from './stats';

export const title = 'Support chat: delivery customer → agent across two api processes';

const CHATS = Number(process.env.BENCH_CHATS ?? 1000);
const CUSTOMERS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The first is a warm-up (JIT, connection pools), not reported. */
const RATES = [50, 50, 100, 200];

function post(port: number, token: string, path: string, body: object, agent: Agent) {
  const text = JSON.stringify(body);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** Customers of the seeded "Acme" organisation, each with a session (written directly: no 50 password hashes). */
async function customers(url: string): Promise<string[]> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const [org] = (await pg.query(`SELECT id FROM organizations ORDER BY name LIMIT 1`)).rows;
    const tokens: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const { rows } = await pg.query(
        `INSERT INTO users (email, name, role, organization_id) VALUES ($1, $2, 'customer', $3) RETURNING id`,
        [`bench${i}@bench.example`, `Bench ${i}`, org.id],
      );
      const token = randomBytes(24).toString('base64url');
      await pg.query(
        `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
        [createHash('sha256').update(token).digest('hex'), rows[0].id],
      );
      tokens.push(token);
    }
    return tokens;
  } finally {
    await pg.end();
  }
}

interface Phase {
  rate: number;
  sent: number;
  delivered: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
  postP50: number;
  cpuMs: number;
}

export async function run(): Promise<string> {
  const env = await prepareEnvironment();
  const a = await new ApiProcess({ ...env.env, PORT: '0' }).start();
  const b = await new ApiProcess({ ...env.env, PORT: '0' }).start();
  const streams: SseStream[] = [];
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const tokens = await customers(env.db.url);
    const login = await fetch(`http://127.0.0.1:${b.port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent3@helpdesk.local', password: DEMO_PASSWORD }),
    });
    const agentToken = ((await login.json()) as { token: string }).token;

    const chats: { ticketId: string; token: string }[] = [];
    for (let i = 0; i < CHATS; i += 20) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(20, CHATS - i) }, async (_, j) => {
          const token = tokens[(i + j) % tokens.length];
          const res = await post(
            a.port,
            token,
            '/api/chats',
            { clientMessageId: randomUUID(), severity: 1 + ((i + j) % 3), body: 'Bench chat' },
            keepAlive,
          );
          if (res.status !== 201) throw new Error(`open chat: ${res.status} ${res.body}`);
          return { ticketId: (JSON.parse(res.body) as { ticketId: string }).ticketId, token };
        }),
      );
      chats.push(...opened);
    }

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const onAgentEvent = (e: { event: string; data: { clientMessageId?: string } }) => {
      if (e.event !== 'message' || !e.data.clientMessageId) return;
      const t0 = sentAt.get(e.data.clientMessageId);
      if (t0 === undefined) return;
      sentAt.delete(e.data.clientMessageId);
      latencies.push(performance.now() - t0);
    };
    for (const c of chats) {
      const path = `/api/chats/${c.ticketId}/stream`;
      streams.push(
        openStream(a.port, path, { authorization: `Bearer ${c.token}` }, { keep: false }),
      );
      streams.push(
        openStream(
          b.port,
          path,
          { authorization: `Bearer ${agentToken}` },
          { keep: false, onEvent: onAgentEvent },
        ),
      );
    }
    const deadline = Date.now() + 60_000;
    while (streams.some((s) => s.status() !== 200)) {
      if (Date.now() > deadline) throw new Error('streams did not all open');
      await new Promise((r) => setTimeout(r, 200));
    }

    const phases: Phase[] = [];
    for (const rate of RATES) {
      latencies.length = 0;
      sentAt.clear();
      const posts: number[] = [];
      const cpu0 = cpuSeconds(a.child!.pid!) + cpuSeconds(b.child!.pid!);
      let sent = 0;
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      while (performance.now() - started < SECONDS * 1000) {
        const due = Math.floor(((performance.now() - started) / 1000) * rate);
        while (sent < due) {
          const c = chats[sent % chats.length];
          const id = randomUUID();
          const t0 = performance.now();
          sentAt.set(id, t0);
          sent++;
          inFlight.push(
            post(
              a.port,
              c.token,
              `/api/chats/${c.ticketId}/messages`,
              { clientMessageId: id, body: `message ${sent}` },
              keepAlive,
            ).then((r) => {
              if (r.status === 201) posts.push(performance.now() - t0);
            }),
          );
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      await Promise.all(inFlight);
      const settle = Date.now() + 10_000;
      while (sentAt.size && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
      const cpu = cpuSeconds(a.child!.pid!) + cpuSeconds(b.child!.pid!) - cpu0;
      const sorted = [...latencies].sort((x, y) => x - y);
      posts.sort((x, y) => x - y);
      phases.push({
        rate,
        sent,
        delivered: latencies.length,
        lost: sentAt.size,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1],
        postP50: percentile(posts, 50),
        cpuMs: (cpu * 1000) / Math.max(1, sent),
      });
    }
    phases.shift();
    const load = loadavg()[0];
    return [
      `${CHATS} chats opened by ${CUSTOMERS} customers; each followed by its customer's stream on api process A and an agent's`,
      `stream on api process B: ${streams.length} server-sent-event connections open at once. Customers post messages on A at a`,
      `steady rate for ${SECONDS} s; each reaches the agent on B through PostgreSQL (insert, NOTIFY, one read per burst). PostgreSQL 15,`,
      `Redis 7, both api processes and this load generator share the 2 cores.`,
      '',
      '| rate (messages/s) | sent | delivered | lost | delivery p50 | p99 | max | POST p50 | api CPU per message (A + B) |',
      '|---|---|---|---|---|---|---|---|---|',
      ...phases.map(
        (p) =>
          `| ${p.rate} | ${p.sent} | ${p.delivered} | ${p.lost} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} | ${ms(p.postP50)} | ${p.cpuMs.toFixed(2)} ms |`,
      ),
      '',
      `Goal: delivery p99 under 100 ms with 1,000 open chats. The 1-minute load average at the end was ${load.toFixed(1)} on 2 cores.`,
    ].join('\n');
  } finally {
    for (const s of streams) s.close();
    keepAlive.destroy();
    await a.kill('SIGTERM');
    await b.kill('SIGTERM');
    await env.dispose();
  }
}
