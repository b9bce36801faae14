import { DomainError, DomainErrorKind, retryableCode, RETRYABLE } from '@app/config';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_many: HttpStatus.TOO_MANY_REQUESTS,
};

/**
 * The one place where errors become HTTP: domain errors by kind, Nest's HTTP errors as they are,
 * PostgreSQL's refusals of bad input (a cast, a NUL byte, a date out of range) a 400, and anything
 * else a 500 with an error id that is logged with the stack.
 * Body: `{statusCode, error, code, message, errors?}`; `message` says what was wrong.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof DomainError) {
      const status = STATUS[exception.kind];
      res.status(status).json({
        statusCode: status,
        error: HttpStatus[status],
        code: exception.code,
        message: exception.message,
      });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const errors = Array.isArray(raw) ? raw.map(String) : undefined;
      const message = errors ? errors.join('; ') : String(raw ?? exception.message);
      res.status(status).json({
        statusCode: status,
        error: HttpStatus[status] ?? 'Error',
        code: codeOf(status),
        message,
        ...(errors ? { errors } : {}),
      });
      return;
    }
    const e = exception as { status?: number; type?: string; message?: string };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      // body-parser errors (too large, bad JSON) carry their own 4xx status
      res.status(e.status).json({
        statusCode: e.status,
        error: HttpStatus[e.status] ?? 'Error',
        code: e.type ?? codeOf(e.status),
        message: e.message,
      });
      return;
    }
    const input = postgresInputError(exception);
    if (input) {
      // A last line: such input should have been refused by validation; log it to fix that there.
      this.logger.warn(`PostgreSQL refused input (${input.code}): ${input.message}`);
      res.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        code: 'invalid_input',
        message: `A value in the request is not valid: ${input.message}`,
      });
      return;
    }
    const busy = retryableCode(exception);
    if (busy) {
      // Still a deadlock or serialization failure after transactionWithRetry's tries.
      this.logger.warn(`transaction aborted after its retries (${busy}): ${RETRYABLE[busy]}`);
      res.status(503).setHeader('Retry-After', '1');
      res.json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'busy',
        message:
          'What the request changes was being changed by others at the same moment; try again.',
      });
      return;
    }
    const errorId = randomUUID();
    this.logger.error(
      `error ${errorId}: ${exception instanceof Error ? exception.stack : String(exception)}`,
    );
    res.status(500).json({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'internal',
      message: `Something went wrong on our side (error id ${errorId}).`,
      errorId,
    });
  }
}

/**
 * PostgreSQL errors that mean the input was bad: invalid text representation (22P02), bad byte
 * sequence such as NUL (22021), datetime format or field out of range (22007, 22008), numeric out
 * of range (22003), string too long (22001), untranslatable character (22P05).
 */
const INPUT_ERRORS = new Set(['22P02', '22021', '22007', '22008', '22003', '22001', '22P05']);

function postgresInputError(e: unknown): { code: string; message: string } | null {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  if (!err || typeof err !== 'object') return null;
  const code = err.driverError?.code ?? err.code;
  const fromPostgres = e instanceof QueryFailedError || err.constructor?.name === 'DatabaseError';
  if (!fromPostgres || typeof code !== 'string' || !INPUT_ERRORS.has(code)) return null;
  return { code, message: String(err.message ?? '').slice(0, 200) };
}

function codeOf(status: number): string {
  return (HttpStatus[status] ?? 'error').toLowerCase();
}
