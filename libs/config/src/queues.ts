import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Queue, QueueOptions, WorkerOptions } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { AppConfig } from './app-config';

/**
 * The one registry of queues and job names. Job ids are deterministic and contain no ":" (BullMQ 6
 * rejects it): see `alarmJobId` and `mailJobId`. Payloads hold ids only.
 */
export const QUEUES = {
  alarms: 'sla-alarms',
  mail: 'mail-outbound',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = { alarm: 'alarm', sendMail: 'send-mail' } as const;

export type AlarmKind = 'warning' | 'breach';
export interface AlarmJobData {
  ticketId: string;
  metric: string;
  kind: AlarmKind;
  version: number;
}
export interface MailJobData {
  mailId: string;
  /** Set once the SMTP server accepted the mail: a later run of the job only marks it sent. */
  acceptedAt?: string;
}

export function alarmJobId(d: AlarmJobData): string {
  return `alarm-${d.ticketId}-${d.metric}-${d.kind}-v${d.version}`;
}
export function mailJobId(mailId: string): string {
  return `mail-${mailId}`;
}

/** Alarm jobs hold short locks so that a job in flight on a killed worker comes back within seconds. */
export const ALARM_WORKER_OPTIONS: Partial<WorkerOptions> = {
  lockDuration: 5_000,
  stalledInterval: 2_000,
  maxStalledCount: 5,
};

/** Mail jobs too: a mail left on a killed worker goes out within seconds, not after a 30 s lock. */
export const MAIL_WORKER_OPTIONS: Partial<WorkerOptions> = { ...ALARM_WORKER_OPTIONS };

export function redisConnection(config: AppConfig): Redis {
  return new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function queueOptions(config: AppConfig, connection: Redis): QueueOptions {
  return { connection, prefix: config.QUEUE_PREFIX };
}

export const REDIS = Symbol('REDIS');

/** The producer side of every queue, for the api and the worker. */
@Injectable()
export class Queues implements OnApplicationShutdown {
  private readonly logger = new Logger(Queues.name);
  readonly alarms: Queue<AlarmJobData>;
  readonly mail: Queue<MailJobData>;

  constructor(
    readonly config: AppConfig,
    @Inject(REDIS) readonly redis: Redis,
  ) {
    const opts = queueOptions(config, redis);
    this.alarms = new Queue<AlarmJobData>(QUEUES.alarms, {
      ...opts,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 10,
        backoff: { type: 'exponential', delay: 500 },
      },
    });
    this.mail = new Queue<MailJobData>(QUEUES.mail, {
      ...opts,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: config.MAIL_ATTEMPTS,
        backoff: { type: 'exponential', delay: config.MAIL_BACKOFF_MS },
      },
    });
    for (const q of [this.alarms, this.mail])
      q.on('error', (err) => this.logger.error(`queue ${q.name}: ${err.message}`));
  }

  /** Job counts per queue, for /metrics. */
  async depths(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const q of [this.alarms, this.mail])
      out[q.name] = await q.getJobCounts('waiting', 'delayed', 'active', 'failed');
    return out;
  }

  /** Redis must not evict BullMQ's keys: says so loudly when `maxmemory-policy` is not `noeviction`. */
  async checkEvictionPolicy(): Promise<string> {
    const res = (await this.redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = res?.[1] ?? 'unknown';
    if (policy !== 'noeviction') {
      this.logger.error(
        `!!! Redis maxmemory-policy is "${policy}", not "noeviction": Redis may evict queued SLA alarms. ` +
          `Run: redis-cli CONFIG SET maxmemory-policy noeviction (the reconciler rebuilds lost timers from PostgreSQL).`,
      );
    }
    return policy;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.alarms.close(), this.mail.close()]);
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [AppConfig], useFactory: redisConnection }, Queues],
  exports: [Queues, REDIS],
})
export class QueuesModule {}
