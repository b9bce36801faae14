export { AppConfig, ConfigError, loadConfig } from './app-config';
export { ConfigModule } from './config.module';
export { totpEncryptionKey } from './totp-key';
export * from './queues';
export * from './errors';
export { assertReachable } from './reachable';
export { Batch, type BatchOptions } from './batch';
export { TtlCache } from './ttl-cache';
export { PgListener } from './pg-listener';
export {
  annotateLog,
  createPino,
  currentLogContext,
  inJobContext,
  JsonLogger,
  levelOf,
  LOG_LEVELS,
  withLogContext,
  type LogContext,
  type LogLevel,
} from './logging';
export {
  decodeCursor,
  encodeCursor,
  isCursorCount,
  isCursorInstant,
  isCursorUuid,
  type CursorShape,
} from './paging-cursor';
export {
  retryableCode,
  retryDelayMs,
  retryTransaction,
  transactionWithRetry,
  RETRYABLE,
  type RetryOptions,
} from './transaction-retry';
