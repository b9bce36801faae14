import { AlarmJobData, AlarmKind, alarmJobId, JOBS, Queues } from '@app/config';
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
export function alarmJobs(rows: TimerRow[], now = Date.now(), kinds?: (row: TimerRow) => AlarmKind[]) {
  const jobs: { name: string; data: AlarmJobData; opts: JobsOptions }[] = [];
  for (const row of rows) {
    const wanted = kinds ? kinds(row) : (['warning', 'breach'] as AlarmKind[]);
    for (const kind of wanted) {
      const at = kind === 'warning' ? row.warningAt : row.dueAt;
      if (at === null) continue;
      const data: AlarmJobData = { ticketId: row.ticketId, metric: row.metric, kind, version: row.version };
      // timestamp + delay = the due time, however long the add itself takes (100,000 jobs take seconds).
      jobs.push({ name: JOBS.alarm, data, opts: { jobId: alarmJobId(data), delay: Math.max(0, at - now), timestamp: now } });
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

  async schedule(rows: TimerRow[]): Promise<void> {
    if (!rows.length) return;
    try {
      await this.queues.alarms.addBulk(alarmJobs(rows));
    } catch (err) {
      // The rows are committed; the reconciler will add the jobs. Say so, don't fail the request.
      this.logger.error(`could not queue SLA alarms (the reconciler will): ${err instanceof Error ? err.message : err}`);
    }
  }

  /** Removes the jobs of superseded versions (best effort: a stale job is a no-op when it fires). */
  async unschedule(rows: TimerRow[]): Promise<void> {
    await Promise.allSettled(
      rows.flatMap((r) =>
        (['warning', 'breach'] as AlarmKind[]).map((kind) => this.queues.alarms.remove(alarmJobId({ ticketId: r.ticketId, metric: r.metric, kind, version: r.version }))),
      ),
    );
  }
}
