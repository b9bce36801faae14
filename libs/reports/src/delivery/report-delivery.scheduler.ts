import { AppConfig } from '@app/config';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReportDeliveryService } from './report-delivery.service';

/**
 * The worker's scheduled job for quarterly delivery: at start and every RECONCILE_INTERVAL_MS it asks
 * whether a quarter's reports have come due (the first business day after the quarter) and delivers
 * them. Running it in every worker is safe: the unique row per organisation and quarter decides.
 */
@Injectable()
export class ReportDeliveryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportDeliveryScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly deliveries: ReportDeliveryService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.REPORT_DELIVERY) return;
    const tick = () => {
      this.running ??= this.deliveries
        .run()
        .catch((err) =>
          this.logger.error(`report delivery failed: ${err instanceof Error ? err.stack : err}`),
        )
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.config.RECONCILE_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
