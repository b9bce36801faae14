export { DatabaseModule } from './database.module';
export { MIGRATIONS, createDataSource, dataSourceOptions, migrate } from './data-source';
export { ensureDatabase } from './migrate';
