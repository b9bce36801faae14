import { AlarmJobData, AlarmKind, alarmJobId, Batch, JOBS, Queues } from '@app/config';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';

/** One target row as the timers need it. */
export interface TimerRow {
  ticketId: string;
  metric: string;
  dueAt: number;
  warningAt: number | null;
  version: number;
}

/** An alarm job to be added: deterministic id (ticket, metric, kind, version), delay to its due time. */
export function alarmJobs(
  rows: TimerRow[],
  now = Date.now(),
  kinds?: (row: TimerRow) => AlarmKind[],
) {
  const jobs: { name: string; data: AlarmJobData; opts: JobsOptions }[] = [];
  for (const row of rows) {
    const wanted = kinds ? kinds(row) : (['warning', 'breach'] as AlarmKind[]);
    for (const kind of wanted) {
      const at = kind === 'warning' ? row.warningAt : row.dueAt;
      if (at === null) continue;
      const data: AlarmJobData = {
        ticketId: row.ticketId,
        metric: row.metric,
        kind,
        version: row.version,
      };
      // timestamp + delay = the due time, however long the add itself takes (100,000 jobs take seconds).
      jobs.push({
        name: JOBS.alarm,
        data,
        opts: { jobId: alarmJobId(data), delay: Math.max(0, at - now), timestamp: now },
      });
    }
  }
  return jobs;
}

/**
 * Puts the SLA alarm jobs of target rows on the alarm queue, after the rows are committed. The rows
 * are the truth: if this is lost (crash, Redis flush), the worker's reconciler adds the jobs again.
 */
@Injectable()
export class SlaTimers {
  private readonly logger = new Logger(SlaTimers.name);

  constructor(private readonly queues: Queues) {}

  /** Jobs of tickets committed at about the same time go to Redis in one addBulk. */
  private readonly batch = new Batch<ReturnType<typeof alarmJobs>, void>(
    async (lists) => {
      try {
        await this.queues.alarms.addBulk(lists.flat());
      } catch (err) {
        this.logger.error(
          `could not queue SLA alarms (the reconciler will): ${err instanceof Error ? err.message : err}`,
        );
      }
      return lists.map(() => undefined);
    },
    { concurrency: 4 },
  );

  /**
   * Queues the alarm jobs of committed rows. Never throws: when Redis is unavailable, the rows stay
   * the truth and the worker's reconciler adds the jobs.
   */
  schedule(rows: TimerRow[]): Promise<void> {
    return rows.length ? this.batch.run(alarmJobs(rows)) : Promise.resolve();
  }

  /** Removes the jobs of superseded versions (best effort: a stale job is a no-op when it fires). */
  async unschedule(rows: TimerRow[]): Promise<void> {
    await Promise.allSettled(
      rows.flatMap((r) =>
        (['warning', 'breach'] as AlarmKind[]).map((kind) =>
          this.queues.alarms.remove(
            alarmJobId({ ticketId: r.ticketId, metric: r.metric, kind, version: r.version }),
          ),
        ),
      ),
    );
  }
}
