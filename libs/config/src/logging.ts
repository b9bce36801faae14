import type { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { Logger as Pino } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What every line logged while serving one request or running one job carries. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
  /** The ticket's reference (HD-000042), once known. */
  ticket?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` on every line it logs (and everything it awaits). */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

export function currentLogContext(): LogContext | undefined {
  return context.getStore();
}

/** Adds to the current request's or job's context, e.g. the ticket it turned out to be about. */
export function annotateLog(fields: Partial<LogContext>): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
}

/** Runs a BullMQ job's handler with its id and queue on every line it logs. */
export function inJobContext<T>(job: { id?: string; queueName: string }, fn: () => T): T {
  return context.run({ jobId: job.id, queue: job.queueName }, fn);
}

/** JSON lines on stdout: level (as a word), time (ISO 8601), msg, and the request's or job's context. */
export function createPino(level: LogLevel, app: string): Pino {
  return pino({
    level,
    base: { app, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...context.getStore() }),
  });
}

const STACK = /^.*\n\s+at .+/;
type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal'> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's logger, backed by pino, so that Nest's own lines and every `new Logger(Context)` are JSON
 * too. Nest calls `log(message, context)` and `error(message, stack?, context)`.
 */
export class JsonLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: NestLevel, message: unknown, rest: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const params = [...rest];
    if (params.length && typeof params[params.length - 1] === 'string') {
      const last = params[params.length - 1] as string;
      if (params.length > 1 || !STACK.test(last)) fields.context = params.pop();
    }
    for (const p of params) {
      if (typeof p === 'string' && STACK.test(p)) fields.stack = p;
      else if (p instanceof Error) fields.err = p;
      else if (p !== undefined) fields.detail = p;
    }
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (message && typeof message === 'object') {
      Object.assign(fields, message);
      msg = String(
        (message as { msg?: unknown; message?: unknown }).msg ??
          (message as { message?: unknown }).message ??
          '',
      );
    } else msg = String(message);
    this.pino[PINO_LEVEL[level]](fields, msg);
  }
}

/** The level Nest's old `logger: ['error', 'warn', 'log']` option meant (in-process tests pass it). */
export function levelOf(opt: false | string[] | undefined, fallback: LogLevel): LogLevel {
  if (opt === false) return 'silent';
  if (!opt) return fallback;
  for (const [nest, level] of [
    ['verbose', 'trace'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'fatal'],
  ] as const)
    if (opt.includes(nest)) return level;
  return 'silent';
}
