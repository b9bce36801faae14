export { AppConfig, ConfigError, loadConfig } from './app-config';
export { ConfigModule } from './config.module';
export * from './queues';
export * from './errors';
export { assertReachable } from './reachable';
export { Batch, type BatchOptions } from './batch';
export { TtlCache } from './ttl-cache';
export { PgListener } from './pg-listener';
