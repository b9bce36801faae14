import { AppConfig } from '@app/config';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';

/** The PostgreSQL channel on which the `alarms_notify` trigger announces each recorded alarm (payload: its id). */
export const ALARM_CHANNEL = 'alarms';

/**
 * Alarms recorded by any worker process, as they are committed: one dedicated PostgreSQL connection per
 * api process LISTENs on the `alarms` channel and shares the ids with every open stream. The connection
 * is re-opened (after 1 s, then up to 30 s) when it drops; alarms recorded in that gap are only in GET /api/alarms.
 */
@Injectable()
export class AlarmFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('AlarmFeed');
  private readonly ids = new Subject<string>();
  private client: Client | null = null;
  private closed = false;
  private retryMs = 1000;
  private retry?: NodeJS.Timeout;
  private readonly dead = new WeakSet<Client>();
  /** Open subscriptions (one per connected stream). */
  subscribers = 0;

  constructor(private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.ids.complete();
    await this.client?.end().catch(() => undefined);
  }

  /** Ids of alarms recorded from now on. */
  get alarmIds(): Observable<string> {
    return new Observable<string>((sub) => {
      this.subscribers++;
      const s = this.ids.subscribe(sub);
      return () => {
        this.subscribers--;
        s.unsubscribe();
      };
    });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on(
      'notification',
      (n) => n.channel === ALARM_CHANNEL && n.payload && this.ids.next(n.payload),
    );
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${ALARM_CHANNEL}`);
      this.client = client;
      this.retryMs = 1000;
    } catch (e) {
      this.lost(client, e as Error);
    }
  }

  private lost(client: Client, e?: Error): void {
    if (this.closed || this.dead.has(client)) return;
    this.dead.add(client);
    if (this.client === client) this.client = null;
    client.end().catch(() => undefined);
    this.log.warn(
      `alarm stream lost its PostgreSQL connection${e ? ` (${e.message})` : ''}; retrying in ${this.retryMs} ms`,
    );
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }
}
