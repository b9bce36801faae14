/**
 * The e-mail channel's end-to-end stack: a fresh PostgreSQL database with every migration, its own
 * BullMQ prefix, the api (with the mail module) on a random port, the worker (with the SMTP listener
 * on a random port), and a real SMTP sink that captures what we send. `stop()` tears it all down.
 */
import { AppConfig, loadConfig } from '@app/config';
import { MIGRATIONS } from '@app/database';
import { loadMailConfig, MAIL_MIGRATIONS, MailConfig, MailModule, SmtpListener } from '@app/mail';
import { STANDARD_SUPPORT } from '@app/sla';
import {
  DynamicModule,
  INestApplication,
  INestApplicationContext,
  Module,
  RequestMethod,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as argon2 from 'argon2';
import cookieParser from 'cookie-parser';
import express from 'express';
import IORedis from 'ioredis';
import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { TEST_PG_URL } from '../support/database';
import { TEST_REDIS_URL } from '../support/harness';

export const PG = TEST_PG_URL;
export const REDIS_URL = TEST_REDIS_URL;
export const PASSWORD = 'test-password-1';

export interface CapturedMail {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  header(name: string): string | undefined;
}

export class SmtpSink {
  readonly mails: CapturedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          this.mails.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
            header: (name) => {
              const line = parsed.headerLines.find((h) => h.key === name.toLowerCase());
              return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : undefined;
            },
          });
          cb();
        });
      },
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async waitFor(pred: (m: CapturedMail) => boolean, timeoutMs = 15_000): Promise<CapturedMail> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.mails.find(pred);
      if (hit) return hit;
      if (Date.now() > until)
        throw new Error(
          `no such mail within ${timeoutMs} ms; got: ${this.mails.map((m) => `${m.envelopeTo} "${m.parsed.subject}"`).join(' | ')}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The inbound mail with this Message-ID once the worker has dealt with it (filed, ignored or review). */
export function processedMail(s: MailStack, messageId: string) {
  return until(`inbound mail ${messageId} to be processed`, async () => {
    const [row] = await s.db.query(
      `SELECT * FROM inbound_mails WHERE message_id = $1 AND status <> 'received'`,
      [messageId.replace(/^<|>$/g, '')],
    );
    return row;
  });
}

export interface MailStack {
  db: DataSource;
  api: INestApplication;
  apiUrl: string;
  worker: INestApplicationContext;
  smtpPort: number;
  sink: SmtpSink;
  config: AppConfig;
  mailConfig: MailConfig;
  token: string;
  ids: {
    acme: string;
    alice: string;
    bob: string;
    agent: string;
    admin: string;
    globex: string;
    gina: string;
  };
  login(email: string): Promise<string>;
  stop(): Promise<void>;
}

async function seed(db: DataSource): Promise<MailStack['ids']> {
  const [policy] = await db.query(
    `INSERT INTO sla_policies (name, document) VALUES ($1, $2) RETURNING id`,
    [STANDARD_SUPPORT.name, JSON.stringify(STANDARD_SUPPORT)],
  );
  const org = async (name: string, domain: string) =>
    (
      await db.query(
        `INSERT INTO organizations (name, policy_id, email_domains) VALUES ($1, $2, $3) RETURNING id`,
        [name, policy.id, [domain]],
      )
    )[0].id as string;
  const acme = await org('Acme Ltd', 'acme.example');
  const globex = await org('Globex', 'globex.example');
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  const user = async (email: string, name: string, role: string, orgId: string | null) =>
    (
      await db.query(
        `INSERT INTO users (email, name, password_hash, role, organization_id, support_level) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
        [email, name, hash, role, orgId, role === 'agent' ? 1 : null],
      )
    )[0].id as string;
  return {
    acme,
    globex,
    alice: await user('alice@acme.example', 'Alice Example', 'customer', acme),
    bob: await user('bob@acme.example', 'Bob Example', 'customer', acme),
    gina: await user('gina@globex.example', 'Gina Globex', 'customer', globex),
    agent: await user('agent@help.example', 'Andy Agent', 'agent', null),
    admin: await user('admin@help.example', 'Ada Admin', 'admin', null),
  };
}

export interface StackOptions {
  /** Send our outgoing mail there instead of to the stack's own capturing sink (benchmarks). */
  smtpUrl?: string;
  /** Start the api too (default true). */
  api?: boolean;
}

export async function startMailStack(
  mailEnv: Record<string, string> = {},
  opts: StackOptions = {},
): Promise<MailStack> {
  const name = `hd_test_mail_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  const db = new DataSource({
    type: 'postgres',
    url: url.toString(),
    migrations: [...new Set([...MIGRATIONS, ...MAIL_MIGRATIONS])],
    synchronize: false,
  });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  const ids = await seed(db);

  const sink = new SmtpSink();
  if (!opts.smtpUrl) await sink.start();
  const prefix = `hdmail${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    SMTP_URL: opts.smtpUrl ?? `smtp://127.0.0.1:${sink.port}`,
    MAIL_FROM: 'helpdesk@help.example',
    PUBLIC_URL: 'http://helpdesk.test',
    WEB_DIST: '/nonexistent',
    MAIL_BACKOFF_MS: '1000',
  });
  const token = randomBytes(24).toString('hex');
  const mailEnvironment: Record<string, string> = {
    MAIL_SUPPORT_ADDRESS: 'support@help.example',
    INBOUND_MIME_TOKEN: token,
    MAIL_MAX_MESSAGE_BYTES: String(256 * 1024),
    MAIL_MAX_ATTACHMENT_BYTES: String(64 * 1024),
    ...mailEnv,
  };
  const mailConfig = loadMailConfig(mailEnvironment);

  // Once the apps import MailModule themselves (reading the environment), give them this stack's
  // mail settings that way and do not add the module a second time.
  const saved = { ...process.env };
  Object.assign(process.env, mailEnvironment);
  const apiRoot = AppModule.register(config);
  const workerRoot = WorkerModule.register(config);
  for (const key of Object.keys(mailEnvironment))
    if (saved[key] === undefined) delete process.env[key];
  Object.assign(process.env, saved);
  const hasMail = (m: DynamicModule) =>
    (m.imports ?? []).some((i) => !!i && (i as DynamicModule).module === MailModule);

  @Module({ imports: hasMail(apiRoot) ? [apiRoot] : [apiRoot, MailModule.forApi(mailConfig)] })
  class ApiUnderTest {}
  @Module({
    imports: hasMail(workerRoot) ? [workerRoot] : [workerRoot, MailModule.forWorker(mailConfig)],
  })
  class WorkerUnderTest {}

  let api: INestApplication | null = null;
  let apiUrl = '';
  if (opts.api !== false) {
    api = await NestFactory.create(ApiUnderTest, { logger: ['error'], bodyParser: false });
    api.use(express.json({ limit: '256kb' }));
    api.use(cookieParser());
    api.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
    api.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    await api.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
  }

  const worker = await NestFactory.createApplicationContext(WorkerUnderTest, { logger: ['error'] });
  await worker.init();
  const smtpPort = await worker.get(SmtpListener).listen(0);

  const login = async (email: string) => {
    const res = await fetch(`${apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };

  return {
    db,
    api: api as INestApplication,
    apiUrl,
    worker,
    smtpPort,
    sink,
    config,
    mailConfig,
    token,
    ids,
    login,
    stop: async () => {
      await worker.close();
      await api?.close();
      if (!opts.smtpUrl) await sink.stop();
      await db.destroy();
      const redis = new IORedis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      const drop = new Client({ connectionString: PG });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
