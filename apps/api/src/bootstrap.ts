import { auditContextMiddleware } from '@app/audit';
import { AppConfig, createPino, JsonLogger, levelOf, loadConfig } from '@app/config';
import { INestApplication, RequestMethod, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppModule } from './app.module';
import { limitJsonDepth, RefuseNulCharacters, RefuseUndocumentedNull } from './input-guard';
import { requestLog, requestLogContext } from './request-log';
import { originCheck, securityHeaders } from './security';

/**
 * Builds the api (not listening yet): JSON logs with request ids, security headers, origin check,
 * JSON bodies at most 32 deep, prefix /api, no NUL characters in input, null only where documented, validation, cookies, OpenAPI, the web app. `logger` (for in-process tests) lowers
 * the level below LOG_LEVEL's.
 */
export async function createApi(
  config: AppConfig = loadConfig(),
  opts: { logger?: false | ('error' | 'warn' | 'log')[] } = {},
): Promise<INestApplication> {
  const log = createPino(levelOf(opts.logger, config.LOG_LEVEL), 'api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new JsonLogger(log));
  if (config.TRUST_PROXY) app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  app.disable('x-powered-by');
  app.use(requestLog(log));
  app.use(...securityHeaders(config));
  app.use(express.json({ limit: '256kb', verify: limitJsonDepth() }));
  app.use(cookieParser());
  app.use(requestLogContext());
  app.use(auditContextMiddleware());
  app.use(originCheck(config));
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new RefuseNulCharacters(),
    new RefuseUndocumentedNull(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Helpdesk API')
      .setDescription('Tickets with contract SLA timers')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('hd_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  serveWebApp(app, resolve(config.WEB_DIST));
  return app;
}

/** TRUST_PROXY as Express takes it: a hop count, `true`, or the names/addresses/CIDRs of the proxies. */
function trustProxy(value: string): number | boolean | string {
  if (/^\d+$/.test(value)) return Number(value);
  return value === 'true' ? true : value;
}

/** Serves apps/web/dist when it exists: static files, and index.html for other non-/api GETs. */
function serveWebApp(app: NestExpressApplication, dir: string): void {
  if (!existsSync(join(dir, 'index.html'))) return;
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (
      req.method !== 'GET' ||
      req.path.startsWith('/api') ||
      req.path === '/health' ||
      req.path === '/metrics'
    )
      return next();
    if (!req.accepts('html')) return next();
    res.sendFile(join(dir, 'index.html'));
  });
}
