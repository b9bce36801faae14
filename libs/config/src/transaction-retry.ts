import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

/** What PostgreSQL aborts a transaction for that the same transaction, run again, may pass. */
export const RETRYABLE = {
  '40P01': 'deadlock detected',
  '40001': 'serialization failure',
} as const;

export interface RetryOptions {
  /** Tries in all, the first included. Default 5. */
  attempts?: number;
  /** The first wait; each next one doubles, each jittered to 50–150 %. Default 20 ms. */
  baseDelayMs?: number;
  /** Named in the log line of each retry. */
  what?: string;
}

/** The SQLSTATE of a PostgreSQL error (TypeORM's QueryFailedError or pg's own) when it is retryable. */
export function retryableCode(e: unknown): keyof typeof RETRYABLE | null {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' && code in RETRYABLE ? (code as keyof typeof RETRYABLE) : null;
}

/** The wait before try `attempt + 1`: base · 2^(attempt−1), jittered to 50–150 %. */
export const retryDelayMs = (attempt: number, baseDelayMs = 20, random = Math.random) =>
  Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + random()));

const logger = new Logger('Transactions');

/**
 * Runs `work` (one whole transaction) again when PostgreSQL aborted it as a deadlock (40P01) or
 * serialization failure (40001), a few times with jittered backoff; any other error, or the last
 * try's, is thrown. `work` must start its transaction itself and reset what it collects.
 */
export async function retryTransaction<T>(
  work: () => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const code = retryableCode(e);
      if (!code || attempt >= attempts) throw e;
      const delay = retryDelayMs(attempt, opts.baseDelayMs);
      logger.warn(
        `${opts.what ?? 'transaction'}: ${RETRYABLE[code]} (${code}) on try ${attempt} of ${attempts}; again in ${delay} ms`,
      );
      await new Promise((ok) => setTimeout(ok, delay));
    }
  }
}

/** `db.transaction(work)`, run again on a deadlock or serialization failure (retryTransaction). */
export function transactionWithRetry<T>(
  db: DataSource,
  work: (m: EntityManager) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  return retryTransaction(() => db.transaction(work), opts);
}
