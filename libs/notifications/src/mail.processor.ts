import { AppConfig, Batch, MailJobData, QUEUES, REDIS } from '@app/config';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import type { OutboundMailRow } from './notifications.service';

/**
 * SMTP_URL with a pool of a few connections kept open, so that a burst of acknowledgements does not
 * pay a connection and greeting per mail. Given as URL parameters because nodemailer ignores every
 * other option of a configuration object that has a `url`; the URL's own parameters win.
 */
export function pooled(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, value] of [['pool', 'true'], ['maxConnections', '5'], ['maxMessages', '1000']])
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url.toString();
}

/** The worker side of outgoing mail: sends a recorded mail over SMTP, once. */
@Injectable()
export class MailProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailProcessor.name);
  private connection?: Redis;
  private worker?: Worker<MailJobData>;
  private transport: Transporter;
  // Jobs running at the same moment read their mails and record their sending with one statement each.
  private readonly reads = new Batch(async (ids: string[]) => {
    const rows: OutboundMailRow[] = await this.db.query(`SELECT * FROM outbound_mails WHERE id = ANY($1::uuid[])`, [ids]);
    return ids.map((id) => rows.find((r) => r.id === id));
  });
  private readonly sent = new Batch(async (ids: string[]) => {
    await this.db.query(`UPDATE outbound_mails SET attempts = attempts + 1, status = 'sent', sent_at = now(), last_error = NULL WHERE id = ANY($1::uuid[])`, [ids]);
    return ids.map(() => undefined);
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.transport = createTransport(pooled(config.SMTP_URL));
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
      await this.db.query(`UPDATE outbound_mails SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1 AND status = 'queued'`, [
        mail.id,
        message,
        final ? 'failed' : 'queued',
      ]);
      this.logger.warn(`mail ${mail.id} (job ${job.id}) attempt ${job.attemptsMade + 1} failed${final ? ' finally' : ''}: ${message}`);
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
