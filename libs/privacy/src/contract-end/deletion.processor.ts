import { AppConfig, REDIS } from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DeletionService } from './deletion.service';

export const DELETION_QUEUE = 'org-deletion';
export const deletionJobId = (deletionId: string) => `deletion-${deletionId}`;

/**
 * Runs the contract check at start and every CONTRACT_CHECK_INTERVAL_MS, and one BullMQ job per
 * deletion (its id is the deletion's, so it is queued once). The job runs batch after batch; the
 * progress is in PostgreSQL, so a job taken over from a killed worker (short locks: seconds) goes
 * on from the last committed batch.
 */
@Injectable()
export class DeletionProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeletionProcessor.name);
  private queue?: Queue<{ deletionId: string }>;
  private worker?: Worker<{ deletionId: string }>;
  private connections: Redis[] = [];
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly deletions: DeletionService,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    const connection = () => {
      const c = this.redis.duplicate();
      this.connections.push(c);
      return c;
    };
    this.queue = new Queue(DELETION_QUEUE, {
      connection: connection(),
      prefix: this.config.QUEUE_PREFIX,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: true,
        attempts: 20,
        backoff: { type: 'exponential', delay: 1000 },
      },
    });
    this.worker = new Worker(DELETION_QUEUE, (job) => this.process(job), {
      connection: connection(),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: 1,
      lockDuration: 5_000,
      stalledInterval: 2_000,
      maxStalledCount: 1000,
    });
    this.worker.on('error', (err) => this.logger.error(`deletion worker: ${err.message}`));
    this.worker.on('failed', (job, err) =>
      this.logger.warn(
        `deletion job ${job?.id} failed (it is queued again at the next check): ${err.message}`,
      ),
    );
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.CONTRACT_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** The contract check; every running deletion gets its job (a no-op while it is queued or running). */
  async tick(): Promise<void> {
    try {
      const running = await this.deletions.check();
      for (const deletionId of running)
        await this.queue!.add(
          'delete-organization',
          { deletionId },
          { jobId: deletionJobId(deletionId) },
        );
    } catch (err) {
      this.logger.error(`contract check failed: ${err instanceof Error ? err.message : err}`);
    }
  }

  private async process(job: Job<{ deletionId: string }>): Promise<void> {
    const pause = this.config.DELETION_BATCH_PAUSE_MS;
    while (!this.stopping && (await this.deletions.runBatch(job.data.deletionId))) {
      if (pause) await new Promise((r) => setTimeout(r, pause));
    }
    if (this.stopping) throw new Error('worker stopping: the deletion goes on at the next start');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.worker?.close();
    await this.queue?.close();
    for (const c of this.connections) c.disconnect();
  }
}
