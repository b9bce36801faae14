import { DomainError, DomainErrorKind } from '@app/config';
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
 * and anything else a 500 with an error id that is logged with the stack.
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

function codeOf(status: number): string {
  return (HttpStatus[status] ?? 'error').toLowerCase();
}
