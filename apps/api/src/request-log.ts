import { withLogContext, type LogContext } from '@app/config';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger as Pino } from 'pino';

/** A client's X-Request-Id is kept when it is short and plain (no spaces, quotes or control characters). */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdOf(header: unknown): string {
  return typeof header === 'string' && SANE_ID.test(header) ? header : randomUUID();
}

const CONTEXT = Symbol('log context');
type WithContext = Request & { [CONTEXT]?: LogContext };

/**
 * Gives every request an id (X-Request-Id, honoured when sane, else made; returned in the response),
 * puts it on every line logged while serving it, and logs one access line when the response ends:
 * method, path (never the query, which may hold tokens), status, duration.
 */
export function requestLog(log: Pino) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const ctx: LogContext = { requestId: requestIdOf(req.headers['x-request-id']) };
    (req as WithContext)[CONTEXT] = ctx;
    res.setHeader('X-Request-Id', ctx.requestId!);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      withLogContext(ctx, () =>
        log.info(
          {
            method: req.method,
            path: req.originalUrl.split('?')[0],
            status: res.headersSent ? res.statusCode : 0,
            durationMs: Math.round(durationMs * 10) / 10,
            ...(res.writableFinished ? {} : { aborted: true }),
          },
          'request',
        ),
      );
    };
    res.once('finish', done);
    res.once('close', done);
    withLogContext(ctx, next);
  };
}

/**
 * Stream callbacks (a body parser's `end`) run outside the request's async context: mounted after
 * them, this enters it again for the guards, pipes and handlers.
 */
export function requestLogContext() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const ctx = (req as WithContext)[CONTEXT];
    if (ctx) withLogContext(ctx, next);
    else next();
  };
}
