export { DatabaseModule } from './database.module';
export { MIGRATIONS, createDataSource, dataSourceOptions, migrate } from './data-source';
export { ensureDatabase } from './migrate';
export { seed, DEMO_PASSWORD } from './seed';
export { seedReportHistory, HISTORY_QUARTER } from './seed-history';
