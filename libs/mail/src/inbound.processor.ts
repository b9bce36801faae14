import { AppConfig, inJobContext, REDIS } from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FilingService } from './filing.service';
import { InboundMailRepository } from './inbound-mail.repository';
import { FileMailJobData, INBOUND_QUEUE } from './inbound-queue';
import { InboundStore } from './inbound-store.service';
import { MailConfig } from './mail.config';

/**
 * The worker side of inbound mail: files each stored mail. Errors escape so BullMQ retries; a mail
 * whose last attempt failed goes to the review list with the error, never silently away. At start
 * (and every minute) mails stored but not filed are put back on the queue.
 */
@Injectable()
export class InboundProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundProcessor.name);
  private worker?: Worker<FileMailJobData>;
  private timer?: NodeJS.Timeout;
  private connection?: Redis;

  constructor(
    private readonly filing: FilingService,
    private readonly repo: InboundMailRepository,
    private readonly store: InboundStore,
    private readonly config: AppConfig,
    private readonly mailConfig: MailConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.worker = new Worker<FileMailJobData>(
      INBOUND_QUEUE,
      (job) => inJobContext(job, () => this.process(job)),
      {
        connection: (this.connection = this.redis.duplicate()),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.mailConfig.MAIL_INBOUND_CONCURRENCY,
      },
    );
    this.worker.on('error', (err) => this.logger.error(`inbound worker: ${err.message}`));
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      inJobContext(job, () => this.logFailure(job, err));
    });
    await this.store.requeueReceived();
    this.timer = setInterval(
      () => void this.store.requeueReceived().catch((e: Error) => this.logger.error(e.message)),
      60_000,
    );
  }

  private logFailure(job: Job<FileMailJobData>, err: Error): void {
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    this.logger.warn(
      `inbound mail ${job.data.inboundMailId} (job ${job.id}) attempt ${job.attemptsMade} failed${final ? ' finally' : ''}: ${err.message}`,
    );
    if (final)
      void this.repo
        .setStatus(job.data.inboundMailId, 'review', `filing failed: ${err.message}`)
        .catch(() => undefined);
  }

  async process(job: Job<FileMailJobData>): Promise<void> {
    const outcome = await this.filing.file(job.data.inboundMailId);
    this.logger.debug(`inbound mail ${job.data.inboundMailId}: ${JSON.stringify(outcome)}`);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
