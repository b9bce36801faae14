import { AlarmKind, AppConfig, Queues } from '@app/config';
import { NotificationsService } from '@app/notifications';
import { alarmJobs } from '@app/tickets';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { timersRestored } from './metrics';

const CHUNK = 2_500;
const LANES = 4;

/**
 * The rows are the truth: at start and every minute, every running target's alarm jobs that have not
 * fired yet are added again (deterministic ids make an existing job a no-op), and queued mails are
 * put back on the mail queue. This restores every timer after a Redis flush, crash or deploy.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: Queues,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running ??= this.reconcile()
        .catch((err) =>
          this.logger.error(`reconcile failed: ${err instanceof Error ? err.stack : err}`),
        )
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.config.RECONCILE_INTERVAL_MS);
  }

  /** Adds the missing jobs; returns how many alarm and mail jobs it handed to BullMQ. */
  async reconcile(): Promise<{ alarms: number; mails: number; ms: number }> {
    const started = Date.now();
    const rows: {
      ticket_id: string;
      metric: string;
      due_at: Date;
      warning_at: Date | null;
      version: number;
      warned: boolean;
    }[] = await this.db.query(
      `SELECT g.ticket_id, g.metric, g.due_at, g.warning_at, g.version,
              EXISTS (SELECT 1 FROM alarms a WHERE a.ticket_id = g.ticket_id AND a.metric = g.metric AND a.version = g.version AND a.kind = 'warning') AS warned
         FROM ticket_targets g JOIN tickets t ON t.id = g.ticket_id
        WHERE g.state = 'running' AND g.stopped_at IS NULL AND t.status NOT IN ('resolved','closed')`,
    );
    const now = Date.now();
    const jobs = alarmJobs(
      rows.map((r) => ({
        ticketId: r.ticket_id,
        metric: r.metric,
        dueAt: new Date(r.due_at).getTime(),
        warningAt: r.warning_at && !r.warned ? new Date(r.warning_at).getTime() : null,
        version: r.version,
      })),
      now,
      (row) => (row.warningAt === null ? ['breach'] : (['warning', 'breach'] as AlarmKind[])),
    );
    const queried = Date.now();
    const missing = await this.missing(jobs);
    await this.inLanes(missing, (chunk) => this.queues.alarms.addBulk(chunk));
    const promoted = await this.promoteOverdue(
      jobs.filter((j) => j.opts.delay === 0 && !missing.includes(j)).slice(0, 1000),
    );
    const mails: { id: string }[] = await this.db.query(
      `SELECT id FROM outbound_mails WHERE status = 'queued' AND created_at < now() - interval '5 seconds'`,
    );
    await this.inLanes(mails, (chunk) => this.notifications.dispatch(chunk.map((m) => m.id)));
    timersRestored.inc(missing.length + mails.length);
    const ms = Date.now() - started;
    if (missing.length > 1000 || jobs.length > 10_000 || promoted > 0) {
      this.logger.log(
        `reconciled ${missing.length} alarm jobs and ${mails.length} mails in ${ms} ms (${jobs.length} timers checked, ${promoted} overdue ones promoted; query ${queried - started} ms)`,
      );
    }
    return { alarms: missing.length, mails: mails.length, ms };
  }

  /**
   * Safety net: an alarm job whose due time has passed but which still sits in BullMQ's delayed set
   * (a lost wake-up) is promoted so that it runs now.
   */
  private async promoteOverdue(jobs: { opts: { jobId?: string } }[]): Promise<number> {
    let promoted = 0;
    for (const j of jobs) {
      const job = await this.queues.alarms.getJob(j.opts.jobId!);
      if (
        job &&
        (await job.getState()) === 'delayed' &&
        job.timestamp + (job.delay ?? 0) < Date.now() - 2_000
      ) {
        await job.promote().then(
          () => promoted++,
          () => undefined,
        );
      }
    }
    if (promoted)
      this.logger.warn(`promoted ${promoted} overdue alarm jobs that were still delayed`);
    return promoted;
  }

  /** The jobs whose id is not in Redis (EXISTS in a pipeline is far cheaper than adding every job again). */
  private async missing<T extends { opts: { jobId?: string } }>(jobs: T[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < jobs.length; i += 10_000) {
      const batch = jobs.slice(i, i + 10_000);
      const pipe = this.queues.redis.pipeline();
      for (const j of batch) pipe.exists(this.queues.alarms.toKey(j.opts.jobId!));
      const res = (await pipe.exec()) ?? [];
      batch.forEach((j, k) => res[k]?.[1] !== 1 && out.push(j));
    }
    return out;
  }

  /** Runs `fn` over chunks of `items`, a few chunks at a time (addBulk is latency-bound when sequential). */
  private async inLanes<T>(items: T[], fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const from = next;
        next += CHUNK;
        await fn(items.slice(from, from + CHUNK));
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
