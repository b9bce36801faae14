import { AppConfig, loadConfig } from '@app/config';
import { seed } from '@app/database';
import type { INestApplication } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import IORedis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Client } from 'pg';
import { createApi } from '../../apps/api/src/bootstrap';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker';
import { createTestDatabase, sql, TestDatabase } from './database';
import { SmtpSink } from './smtp-sink';
import { waitFor } from './wait';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ROOT = join(__dirname, '..', '..');
export const ADMIN = { email: 'admin@helpdesk.test', password: 'admin-password-1' };
export const DEMO_PASSWORD = 'demo-password';

export interface Harness {
  db: TestDatabase;
  pg: Client;
  smtp: SmtpSink;
  config: AppConfig;
  env: Record<string, string>;
  prefix: string;
  api: INestApplication;
  http: ReturnType<typeof request>;
  workers: RunningWorker[];
  startWorker(): Promise<RunningWorker>;
  /** Bearer token of a user. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestEnvironment {
  db: TestDatabase;
  smtp: SmtpSink;
  prefix: string;
  env: Record<string, string>;
  config: AppConfig;
  /** Drops the database, the Redis keys of the prefix, and stops the SMTP sink. */
  dispose(): Promise<void>;
}

/**
 * A fresh database (migrated and seeded), a queue prefix, an SMTP sink, and the environment for an api
 * or worker process using them. No Nest in this process (benchmarks run under tsx).
 */
export async function prepareEnvironment(
  extra: Record<string, string> = {},
): Promise<TestEnvironment> {
  const db = await createTestDatabase();
  const smtp = await new SmtpSink().start();
  const prefix = `hdt${randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'support@helpdesk.test',
    PORT: '0',
    WORKER_PORT: '0',
    MAIL_BACKOFF_MS: '200',
    // Quarterly report mails would land in every test's sink; the delivery test turns them on.
    REPORT_DELIVERY: 'false',
    SEED_ADMIN_EMAIL: ADMIN.email,
    SEED_ADMIN_PASSWORD: ADMIN.password,
    ...extra,
  };
  const config = loadConfig(env);
  const ds = new DataSource({ type: 'postgres', url: db.url });
  await ds.initialize();
  await seed(ds, config);
  await ds.destroy();
  return {
    db,
    smtp,
    prefix,
    env,
    config,
    async dispose() {
      await smtp.close();
      await flushPrefix(prefix);
      await db.drop();
    },
  };
}

/**
 * Everything an end-to-end test needs, isolated: its own database (migrated, demo data seeded), its own
 * BullMQ prefix on the shared Redis, a real SMTP sink, the api on a random port, and (unless
 * `worker: false`) an in-process worker.
 */
export async function startHarness(
  opts: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<Harness> {
  const { db, smtp, prefix, env, config } = await prepareEnvironment(opts.env);
  const api = await createApi(config, { logger: ['error'] });
  await api.listen(0, '127.0.0.1');
  const http = request(api.getHttpServer());
  const workers: RunningWorker[] = [];
  const pg = await sql(db.url);
  const h: Harness = {
    db,
    pg,
    smtp,
    config,
    env,
    prefix,
    api,
    http,
    workers,
    async startWorker() {
      const w = await startWorker(config, { logger: ['error'] });
      workers.push(w);
      return w;
    },
    async login(email, password = email === ADMIN.email ? ADMIN.password : DEMO_PASSWORD) {
      const res = await http.post('/api/auth/login').send({ email, password });
      if (res.status !== 200)
        throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    async close() {
      for (const w of workers.splice(0)) await w.close().catch(() => undefined);
      await api.close();
      await pg.end();
      await smtp.close();
      await flushPrefix(prefix);
      await db.drop();
    },
  };
  if (opts.worker !== false) await h.startWorker();
  return h;
}

/** Deletes every Redis key of one BullMQ prefix (never anything else on the shared server). */
export async function flushPrefix(prefix: string): Promise<number> {
  const redis = new IORedis(TEST_REDIS_URL);
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) n += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return n;
}

/** A worker as a child process (`npm run start:worker` without npm), to be killed for real. */
export class WorkerProcess {
  child?: ChildProcess;
  /** stdout and stderr as they came. */
  output = '';
  stdout = '';
  protected entry = 'apps/worker/src/main.ts';
  protected ready = 'worker running';

  /** `ready`: when the process counts as started, if not at its start-up line (e.g. LOG_LEVEL=warn). */
  constructor(
    private readonly env: Record<string, string>,
    private readonly opts: { ready?: () => Promise<boolean> } = {},
  ) {}

  async start(): Promise<this> {
    this.output = '';
    this.stdout = '';
    this.child = spawn(process.execPath, ['-r', './scripts/swc-register.cjs', this.entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => {
      this.output += d;
      this.stdout += d;
    });
    this.child.stderr!.on('data', (d) => (this.output += d));
    const ready = this.opts.ready;
    await waitFor(
      async () =>
        (ready ? await ready().catch(() => false) : this.output.includes(this.ready)) ||
        (this.child!.exitCode !== null && Promise.reject(new Error(this.output))),
      {
        timeoutMs: 30_000,
        what: 'the worker process to start',
      },
    );
    return this;
  }

  /** SIGKILL: no shutdown hooks, locks left behind. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill(signal);
    await exited;
  }
}

/** The api as a child process (for benchmarks); `port` is read from its start-up line. */
export class ApiProcess extends WorkerProcess {
  protected entry = 'apps/api/src/main.ts';
  protected ready = 'api listening on';

  get port(): number {
    const m = /api listening on http:\/\/\S+:(\d+)/.exec(this.output);
    if (!m) throw new Error('api port not known yet');
    return Number(m[1]);
  }
}

/** Creates a ticket as `token`; fails the test with the response body when it is not 201. */
export async function createTicket(h: Harness, token: string, body: Record<string, unknown>) {
  const res = await h.http.post('/api/tickets').set('authorization', `Bearer ${token}`).send(body);
  if (res.status !== 201)
    throw new Error(`create ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A policy on a 24×7 UTC calendar with targets of a few seconds (severity 1/2/3). */
export function fastPolicy(
  name: string,
  seconds: [number, number, number],
  escalateOnBreach = true,
) {
  const all: [string, string][] = [['00:00', '24:00']];
  return {
    name,
    calendar: {
      timeZone: 'UTC',
      week: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
    },
    targets: Object.fromEntries(
      seconds.map((s, i) => [
        String(i + 1),
        [{ metric: 'first_response', seconds: s, clock: 'business' }],
      ]),
    ),
    alarms: { warningFraction: 0.5 },
    escalateOnBreach,
  };
}

/** Creates an organisation on a fast policy with one customer; returns ids and the customer's e-mail. */
export async function fastCustomer(
  h: Harness,
  adminToken: string,
  tag: string,
  seconds: [number, number, number],
  escalateOnBreach = true,
) {
  return customerOn(h, adminToken, tag, fastPolicy(`Fast ${tag}`, seconds, escalateOnBreach));
}

/** Creates an organisation on a policy of its own (`document`) with one customer. */
export async function customerOn(h: Harness, adminToken: string, tag: string, document: object) {
  const auth = { authorization: `Bearer ${adminToken}` };
  const policy = await h.http.post('/api/admin/policies').set(auth).send({ document });
  if (policy.status !== 201) throw new Error(`policy: ${JSON.stringify(policy.body)}`);
  const org = await h.http
    .post('/api/admin/organizations')
    .set(auth)
    .send({ name: `Org ${tag}`, policyId: policy.body.id, emailDomains: [`${tag}.example`] });
  if (org.status !== 201) throw new Error(`org: ${JSON.stringify(org.body)}`);
  const email = `user@${tag}.example`;
  const user = await h.http
    .post('/api/admin/users')
    .set(auth)
    .send({
      email,
      name: `User ${tag}`,
      role: 'customer',
      organizationId: org.body.id,
      password: DEMO_PASSWORD,
    });
  if (user.status !== 201) throw new Error(`user: ${JSON.stringify(user.body)}`);
  return {
    policyId: policy.body.id as string,
    organizationId: org.body.id as string,
    email,
    userId: user.body.id as string,
  };
}
