import { AppConfig, Batch, MailJobData, QUEUES, REDIS } from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTransport, Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import type { OutboundMailRow } from './notifications.service';

/**
 * SMTP_URL as a pool of a few connections kept open, so that a burst of acknowledgements does not pay
 * a connection and greeting per mail (given to SMTPPool itself: createTransport drops every other
 * option next to a `url`). Nagle's algorithm is off: with it, the end of each message waits for the
 * server's delayed ACK (40 ms on Linux), which capped a connection at ~20 mails a second.
 */
export function smtpPool(smtpUrl: string): SMTPPool {
  return new SMTPPool({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 1000,
    getSocket: (options, callback) => {
      const socket = connect({
        host: options.host ?? 'localhost',
        port: Number(options.port) || (options.secure ? 465 : 587),
        noDelay: true,
      });
      socket.once('error', callback);
      socket.once('connect', () => {
        socket.removeListener('error', callback);
        callback(null, { connection: socket });
      });
    },
  });
}

const LINGER_MS = 20;

/** The worker side of outgoing mail: sends a recorded mail over SMTP, once. */
@Injectable()
export class MailProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailProcessor.name);
  private connection?: Redis;
  private worker?: Worker<MailJobData>;
  private transport: Transporter;
  // Jobs running at the same moment read their mails and record their sending with one statement
  // each; a mail waits up to 20 ms for others, which nobody notices in a mail.
  private readonly reads = new Batch(
    async (ids: string[]) => {
      const rows: OutboundMailRow[] = await this.db.query(
        `SELECT * FROM outbound_mails WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return ids.map((id) => rows.find((r) => r.id === id));
    },
    { lingerMs: LINGER_MS },
  );
  private readonly sent = new Batch(
    async (ids: string[]) => {
      await this.db.query(
        `UPDATE outbound_mails SET attempts = attempts + 1, status = 'sent', sent_at = now(), last_error = NULL WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return ids.map(() => undefined);
    },
    { lingerMs: LINGER_MS },
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.transport = createTransport(smtpPool(config.SMTP_URL));
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker<MailJobData>(QUEUES.mail, (job) => this.process(job), {
      connection: (this.connection = this.redis.duplicate()),
      prefix: this.config.QUEUE_PREFIX,
      // Most jobs wait on SMTP; more of them at once let their reads and updates share statements.
      concurrency: 50,
    });
    this.worker.on('error', (err) => this.logger.error(`mail worker: ${err.message}`));
  }

  async process(job: Job<MailJobData>): Promise<void> {
    const mail = await this.reads.run(job.data.mailId);
    if (!mail) throw new UnrecoverableError(`mail ${job.data.mailId} does not exist`);
    if (mail.status !== 'queued') return;
    try {
      await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        to: mail.to_addresses,
        subject: mail.subject,
        text: mail.body,
        messageId: mail.message_id,
        inReplyTo: mail.in_reply_to ?? undefined,
        references: mail.references?.length ? mail.references : (mail.in_reply_to ?? undefined),
        replyTo: mail.reply_to ?? undefined,
        headers: mail.headers ?? {},
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.db.query(
        `UPDATE outbound_mails SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1 AND status = 'queued'`,
        [mail.id, message, final ? 'failed' : 'queued'],
      );
      this.logger.warn(
        `mail ${mail.id} (job ${job.id}) attempt ${job.attemptsMade + 1} failed${final ? ' finally' : ''}: ${message}`,
      );
      throw err;
    }
    await this.sent.run(mail.id);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
    this.transport.close();
  }
}
