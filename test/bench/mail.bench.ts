/**
 * Inbound mail: mails per second from SMTP receipt to filed ticket, and p50/p99 of the time from
 * receipt (inbound_mails.received_at, when our listener had the whole message) to the ticket row
 * (tickets.created_at). Real PostgreSQL, Redis, our SMTP listener driven by nodemailer over several
 * connections, the worker filing with MAIL_INBOUND_CONCURRENCY, acknowledgements going to a sink.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { ms, percentile } from './stats';

export const title = 'Inbound mail: SMTP receipt to filed ticket';

const MAILS = Number(process.env.BENCH_MAILS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 16);
const CONCURRENCY = process.env.BENCH_INBOUND_CONCURRENCY ?? '32';
const SENDERS = 400;

interface Stack {
  child: ChildProcess;
  smtpPort: number;
  acme: string;
  db: Client;
}

const ROOT = join(__dirname, '..', '..');

/** Where our acknowledgements go: a real SMTP server in this process that counts and drops them. */
async function startSink(): Promise<{ server: SMTPServer; url: string; received: () => number }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData: (stream, _s, cb) => {
      stream.resume();
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    server,
    url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`,
    received: () => received,
  };
}

function startStack(env: Record<string, string>, smtpUrl: string): Promise<Stack> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
          : []),
        '-r',
        './scripts/swc-register.cjs',
        'test/bench/mail-stack.ts',
        JSON.stringify(env),
        smtpUrl,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', async (d: Buffer) => {
      out += d.toString();
      const m = /mail-stack ready (\{.*\})/.exec(out);
      if (!m) return;
      out = '';
      const info = JSON.parse(m[1]) as { smtpPort: number; dbUrl: string; acme: string };
      const db = new Client({ connectionString: info.dbUrl });
      await db.connect();
      resolve({ child, smtpPort: info.smtpPort, acme: info.acme, db });
    });
    child.on('exit', (code) =>
      reject(new Error(`mail stack exited with ${code}: ${err.slice(-2000)}`)),
    );
  });
}

async function stopStack(s: Stack): Promise<void> {
  await s.db.end();
  if (s.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function round(stack: Stack, tag: string, count: number) {
  const smtp = createTransport({
    host: '127.0.0.1',
    port: stack.smtpPort,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
    ignoreTLS: true,
    // Nagle off, as real MTAs do: else each message's end waits for our delayed ACK (40 ms), and the
    // load generator, not the helpdesk, sets the pace.
    getSocket: (_opts, callback) => {
      const socket = connect({ host: '127.0.0.1', port: stack.smtpPort, noDelay: true });
      socket.once('connect', () => callback(null, { connection: socket }));
      socket.once('error', callback);
    },
  });
  const started = Date.now();
  const load = loadavg()[0];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      smtp.sendMail({
        envelope: { from: `bench${i % SENDERS}@acme.example`, to: ['support@help.example'] },
        // pre-composed, so that the client's MIME building is not what is measured
        raw: `From: bench${i % SENDERS}@acme.example\r\nTo: support@help.example\r\nSubject: ${tag} ${i} printer on fire\r\nMessage-ID: <${tag}-${i}-${Date.now()}@acme.example>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMail ${i}: the printer is on fire.\r\n\r\nRegards\r\n`,
      }),
    ),
  );
  const sendSeconds = (Date.now() - started) / 1000;
  smtp.close();
  await until(
    `${count} tickets of ${tag}`,
    async () => {
      const { rows } = await stack.db.query(
        `SELECT count(*)::int AS n FROM inbound_mails WHERE subject LIKE $1 AND status <> 'received'`,
        [`${tag} %`],
      );
      return rows[0].n >= count;
    },
    600_000,
  );
  const { rows } = await stack.db.query<{ lat: number; received: Date; created: Date }>(
    `SELECT extract(epoch FROM t.created_at - m.received_at) * 1000 AS lat, m.received_at AS received, t.created_at AS created
       FROM inbound_mails m JOIN tickets t ON t.id = m.ticket_id WHERE m.subject LIKE $1`,
    [`${tag} %`],
  );
  const lat = rows.map((r) => Number(r.lat)).sort((a, b) => a - b);
  const first = Math.min(...rows.map((r) => new Date(r.received).getTime()));
  const last = Math.max(...rows.map((r) => new Date(r.created).getTime()));
  return {
    filed: rows.length,
    perSecond: rows.length / ((last - first) / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    sendSeconds,
    load: Math.max(load, loadavg()[0]),
  };
}

export async function run(): Promise<string> {
  const sink = await startSink();
  const stack = await startStack(
    {
      MAIL_INBOUND_CONCURRENCY: CONCURRENCY,
      MAIL_ACKS_PER_SENDER_PER_HOUR: process.env.BENCH_ACKS_PER_HOUR ?? '1000',
      MAIL_MAX_MESSAGE_BYTES: String(1024 * 1024),
    },
    sink.url,
  );
  try {
    await stack.db.query(
      `INSERT INTO users (email, name, role, organization_id) SELECT 'bench' || g || '@acme.example', 'Bench ' || g, 'customer', $1 FROM generate_series(0, $2) g`,
      [stack.acme, SENDERS - 1],
    );
    await round(stack, 'warmup', 200);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await round(stack, `run${i}`, MAILS));
    const median = [...runs].sort((a, b) => a.perSecond - b.perSecond)[1];
    const acks = (
      await stack.db.query(
        `SELECT count(*)::int AS n FROM outbound_mails WHERE kind = 'acknowledgement'`,
      )
    ).rows[0].n;
    const atEnd = sink.received();
    const drainStart = Date.now();
    await until('acknowledgements at the sink', async () => sink.received() >= acks, 300_000).catch(
      () => undefined,
    );
    const drainSeconds = (Date.now() - drainStart) / 1000;
    return [
      `${MAILS} mails per run from ${SENDERS} known customers, sent over ${CONNECTIONS} SMTP connections (nodemailer pool) to our listener;`,
      `the worker files with concurrency ${CONCURRENCY}; every mail opens a ticket (SLA targets, timers) and queues an acknowledgement.`,
      'Rate = filed tickets / (last ticket row − first receipt). Latency = tickets.created_at − inbound_mails.received_at.',
      '',
      '| run | filed | sent in | tickets/s | p50 receipt→ticket | p99 receipt→ticket | machine load (1 min) |',
      '|---|---|---|---|---|---|---|',
      ...runs.map(
        (r, i) =>
          `| ${i + 1} | ${r.filed} | ${r.sendSeconds.toFixed(1)} s | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.load.toFixed(1)} |`,
      ),
      '',
      `**Median: ${median.perSecond.toFixed(0)} mails/s** (goal ≥ 200/s); p50 ${ms(median.p50)}, p99 ${ms(median.p99)}. Acknowledgements queued: ${acks}; received by the sink when the last run was filed: ${atEnd}, all ${sink.received()} of them ${drainSeconds.toFixed(1)} s later.`,
      '',
      'The latency includes the queue wait: the client sends a run in 4–5 s, faster than the stack files it, so p50 and p99 are',
      'mostly time in the inbound queue and grow with the burst size. The machine is shared (load above 2 means other work waits',
      'for the 2 cores). The stack (listener and worker, one Node process) is CPU-bound during a run (~90% busy in a profile).',
      'The filing steps of mails handled at the same moment share statements (`Batch`: raw storage, reads, Message-ID lookups and',
      'records, the acknowledgement limit, outgoing mail rows, conclusions), so a new ticket costs ~1.6 PostgreSQL statements of',
      'its own plus at most one user lookup (known senders are cached 5 s by IdentityService), against ~13 before; socket writes are',
      'still the largest share of the profile (pg ~15%, Redis and SMTP ~10%). Acknowledgements go over a pool of 5 SMTP',
      'connections with Nagle off and keep up with filing; before, nodemailer ignored the pool options given next to a url and',
      "each message's end waited for a 40 ms delayed ACK (~100 acknowledgements/s, the queue drained for a minute after a run).",
    ].join('\n');
  } finally {
    await stopStack(stack);
    sink.server.close();
  }
}
