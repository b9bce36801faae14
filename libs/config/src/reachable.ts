import { AppConfig, ConfigError } from './app-config';
import IORedis from 'ioredis';
import { Client } from 'pg';

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');

/** Fails fast with a message naming what is unreachable (DATABASE_URL, REDIS_URL). */
export async function assertReachable(config: AppConfig): Promise<void> {
  const problems: string[] = [];
  const pg = new Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (err) {
    problems.push(
      `DATABASE_URL ${redact(config.DATABASE_URL)} is unreachable: ${(err as Error).message} (run \`npm run migrate\` to create the database)`,
    );
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new IORedis(config.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
    retryStrategy: () => null,
  });
  let cause: Error | undefined;
  redis.on('error', (err) => (cause ??= err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    problems.push(
      `REDIS_URL ${redact(config.REDIS_URL)} is unreachable: ${(cause ?? (err as Error)).message}`,
    );
  } finally {
    redis.disconnect();
  }
  if (problems.length) throw new ConfigError(`Cannot start:\n  ${problems.join('\n  ')}`);
}
