export { DatabaseModule } from './database.module';
export { MIGRATIONS, createDataSource, dataSourceOptions, migrate } from './data-source';
export { ensureDatabase } from './migrate';
export { seed, DEMO_PASSWORD } from './seed';
// Defined in libs/config so that libs which this one loads (mail → tickets) can use it without a cycle.
export {
  retryableCode,
  retryDelayMs,
  retryTransaction,
  transactionWithRetry,
  RETRYABLE,
  type RetryOptions,
} from '@app/config';
export { seedReportHistory, HISTORY_QUARTER } from './seed-history';
