import { AlarmKind, AppConfig, Queues } from '@app/config';
import { NotificationsService } from '@app/notifications';
import { alarmJobs } from '@app/tickets';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { timersRestored } from './metrics';

const CHUNK = 5_000;

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
        .catch((err) => this.logger.error(`reconcile failed: ${err instanceof Error ? err.stack : err}`))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.config.RECONCILE_INTERVAL_MS);
  }

  /** Adds the missing jobs; returns how many alarm and mail jobs it handed to BullMQ. */
  async reconcile(): Promise<{ alarms: number; mails: number; ms: number }> {
    const started = Date.now();
    const rows: any[] = await this.db.query(
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
    for (let i = 0; i < jobs.length; i += CHUNK) await this.queues.alarms.addBulk(jobs.slice(i, i + CHUNK));
    const mails: { id: string }[] = await this.db.query(`SELECT id FROM outbound_mails WHERE status = 'queued' AND created_at < now() - interval '5 seconds'`);
    for (let i = 0; i < mails.length; i += CHUNK) await this.notifications.dispatch(mails.slice(i, i + CHUNK).map((m) => m.id));
    timersRestored.inc(jobs.length + mails.length);
    const ms = Date.now() - started;
    if (jobs.length > 1000) this.logger.log(`reconciled ${jobs.length} alarm jobs and ${mails.length} mails in ${ms} ms`);
    return { alarms: jobs.length, mails: mails.length, ms };
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
