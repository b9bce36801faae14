import { Queues } from '@app/config';
import { Public } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';

/** Checks PostgreSQL and Redis; 200 when both answer, else 503 naming the one that does not. */
export async function healthOf(db: DataSource, queues: Queues) {
  const check = async (fn: () => Promise<unknown>) => {
    try {
      await Promise.race([
        fn(),
        new Promise((_, no) => setTimeout(() => no(new Error('timeout')), 2000)),
      ]);
      return 'up';
    } catch (err) {
      return `down: ${err instanceof Error ? err.message : err}`;
    }
  };
  const [database, redis] = await Promise.all([
    check(() => db.query('SELECT 1')),
    check(() => queues.redis.ping()),
  ]);
  return { status: database === 'up' && redis === 'up' ? 'ok' : 'error', database, redis };
}

let source: { queues: Queues; notifications: NotificationsService; db: DataSource } | undefined;
const queueDepth = new Gauge({
  name: 'helpdesk_queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'],
  async collect() {
    if (!source) return;
    this.reset();
    for (const [queue, counts] of Object.entries(await source.queues.depths()))
      for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
  },
});
const mailsFailed = new Gauge({
  name: 'helpdesk_mails_failed',
  help: 'Outgoing mails that finally failed',
  async collect() {
    if (source) this.set(await source.notifications.countFailed());
  },
});
const recentLateness = new Gauge({
  name: 'helpdesk_alarm_lateness_last_hour_seconds',
  help: 'Alarm lateness (fired minus due) over the alarms of the last hour, from PostgreSQL',
  labelNames: ['quantile'],
  async collect() {
    if (!source) return;
    const [r] = await source.db.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY x) AS p99, max(x) AS max
         FROM (SELECT extract(epoch FROM fired_at - due_at) AS x FROM alarms WHERE fired_at > now() - interval '1 hour') s`,
    );
    this.reset();
    for (const q of ['p50', 'p99', 'max'])
      if (r[q] !== null) this.set({ quantile: q }, Number(r[q]));
  },
});
void queueDepth;
void mailsFailed;
void recentLateness;

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: Queues,
    notifications: NotificationsService,
  ) {
    source = { queues, notifications, db };
  }

  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const h = await healthOf(this.db, this.queues);
    res.status(h.status === 'ok' ? 200 : 503);
    return h;
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', register.contentType)
  metrics() {
    return register.metrics();
  }
}
