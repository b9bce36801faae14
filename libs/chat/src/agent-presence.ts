import { AppConfig, REDIS } from '@app/config';
import type { AuthUser } from '@app/identity';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** How long an agent counts as there after their process last said so (it says so every REFRESH_MS). */
const TTL_MS = 30_000;
const REFRESH_MS = 10_000;

/**
 * Which agents are in the chat inbox now, across api processes: a Redis sorted set of
 * `<user id>:<cleared 0|1>` scored by when the entry lapses. Only a hint (who could answer a chat this
 * minute): losing it makes the panel offer "leave a message" for up to TTL_MS, nothing worse.
 */
@Injectable()
export class AgentPresence implements OnModuleDestroy {
  private readonly log = new Logger('AgentPresence');
  private readonly key: string;
  private readonly here = new Map<string, { member: string; streams: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.key = `${config.QUEUE_PREFIX}:chat:agents`;
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    const members = [...this.here.values()].map((h) => h.member);
    if (members.length) void this.redis.zrem(this.key, ...members).catch(() => undefined);
  }

  /** An agent opened the inbox; call the returned function when that stream ends. */
  arrive(agent: AuthUser): () => void {
    const member = `${agent.id}:${agent.securityClearance ? 1 : 0}`;
    const h = this.here.get(agent.id) ?? { member, streams: 0 };
    h.streams++;
    this.here.set(agent.id, h);
    void this.redis.zadd(this.key, Date.now() + TTL_MS, member).catch((e) => this.warn(e));
    return () => {
      if (--h.streams > 0) return;
      this.here.delete(agent.id);
      void this.redis.zrem(this.key, member).catch((e) => this.warn(e));
    };
  }

  /** Ids of the agents there now (for a restricted chat: cleared agents only). */
  async agents(clearedOnly: boolean): Promise<string[]> {
    const now = Date.now();
    const [, [, members]] = (await this.redis
      .multi()
      .zremrangebyscore(this.key, '-inf', now)
      .zrangebyscore(this.key, now, '+inf')
      .exec()) as [unknown, [unknown, string[]]];
    const ids = members.filter((m) => !clearedOnly || m.endsWith(':1')).map((m) => m.split(':')[0]);
    return [...new Set(ids)];
  }

  private async refresh(): Promise<void> {
    if (!this.here.size) return;
    const until = Date.now() + TTL_MS;
    const args = [...this.here.values()].flatMap((h) => [until, h.member]);
    await this.redis.zadd(this.key, ...args).catch((e) => this.warn(e));
  }

  private warn(e: Error): void {
    this.log.warn(`agent presence not updated in Redis: ${e.message}`);
  }
}
