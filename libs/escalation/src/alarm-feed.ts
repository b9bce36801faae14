import { AppConfig, PgListener } from '@app/config';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

/** The PostgreSQL channel on which the `alarms_notify` trigger announces each recorded alarm (payload: its id). */
export const ALARM_CHANNEL = 'alarms';

/**
 * Alarms recorded by any worker process, as they are committed: one dedicated PostgreSQL connection per
 * api process LISTENs on the `alarms` channel and shares the ids with every open stream. Alarms recorded
 * while that connection is being re-opened are only in GET /api/alarms.
 */
@Injectable()
export class AlarmFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly ids = new Subject<string>();
  private readonly listener: PgListener;
  /** Open subscriptions (one per connected stream). */
  subscribers = 0;

  constructor(config: AppConfig) {
    this.listener = new PgListener(config.DATABASE_URL, ALARM_CHANNEL, (id) => this.ids.next(id));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.ids.complete();
    await this.listener.stop();
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
}
