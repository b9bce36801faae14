import { AppConfig, REDIS } from '@app/config';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { InboundMailRepository, InboundSource, InboundStatus } from './inbound-mail.repository';
import { FILE_MAIL_JOB, fileMailJobId, FileMailJobData, INBOUND_QUEUE } from './inbound-queue';
import { MailConfig } from './mail.config';

export interface Receipt {
  id: string;
  duplicate: boolean;
  status: InboundStatus;
}

/**
 * The one door every inbound mail goes through (SMTP, IMAP, HTTP): the raw bytes are stored first
 * (the same bytes twice are stored once), then a job on the inbound queue parses and files them.
 * If the job is lost, `requeueReceived` finds the mail again by its status.
 */
@Injectable()
export class InboundStore implements OnApplicationShutdown {
  private readonly logger = new Logger(InboundStore.name);
  readonly queue: Queue<FileMailJobData>;

  constructor(
    private readonly repo: InboundMailRepository,
    private readonly mailConfig: MailConfig,
    config: AppConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.queue = new Queue<FileMailJobData>(INBOUND_QUEUE, {
      connection: redis,
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    });
    this.queue.on('error', (err) => this.logger.error(`queue ${INBOUND_QUEUE}: ${err.message}`));
  }

  static hash(raw: Buffer): string {
    return createHash('sha256').update(raw).digest('hex');
  }

  async receive(
    raw: Buffer,
    meta: {
      source: InboundSource;
      receivedAt: Date;
      envelopeFrom?: string | null;
      envelopeTo?: string[];
    },
  ): Promise<Receipt> {
    const tooLarge = raw.length > this.mailConfig.MAIL_MAX_MESSAGE_BYTES;
    const stored = await this.repo.insertRaw({
      hash: InboundStore.hash(raw),
      raw,
      source: meta.source,
      receivedAt: meta.receivedAt,
      envelopeFrom: meta.envelopeFrom ?? null,
      envelopeTo: meta.envelopeTo ?? [],
      tooLarge,
    });
    if (!stored.duplicate && stored.status === 'received') await this.enqueueSoon(stored.id);
    return stored;
  }

  private pending: Array<{ id: string; done: (err?: unknown) => void }> = [];

  /** Mails stored in the same moment (many SMTP sessions at once) go to Redis in one round trip. */
  private enqueueSoon(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ id, done: (err) => (err ? reject(err) : resolve()) });
      if (this.pending.length > 1) return;
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.enqueue(batch.map((b) => b.id)).then(
          () => batch.forEach((b) => b.done()),
          (err: unknown) => batch.forEach((b) => b.done(err)),
        );
      });
    });
  }

  async enqueue(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.queue.addBulk(
      ids.map((id) => ({
        name: FILE_MAIL_JOB,
        data: { inboundMailId: id },
        opts: { jobId: fileMailJobId(id) },
      })),
    );
  }

  /** Puts every stored-but-unfiled mail back on the queue (after a Redis flush or a crash); the job id dedupes. */
  async requeueReceived(): Promise<number> {
    const rows: Array<{ id: string }> = await this.repo.db.query(
      `SELECT id FROM inbound_mails WHERE status = 'received' ORDER BY received_at LIMIT 10000`,
    );
    await this.enqueue(rows.map((r) => r.id));
    return rows.length;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
