import { AppConfig, createPino, JsonLogger, levelOf, loadConfig, Queues } from '@app/config';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { WorkerModule } from './worker.module';

export interface RunningWorker {
  app: INestApplicationContext;
  http: Server;
  port: number;
  close(): Promise<void>;
}

let queuesForMetrics: Queues | undefined;
new Gauge({
  name: 'helpdesk_worker_queue_jobs',
  help: 'Jobs per queue and state, seen by the worker',
  labelNames: ['queue', 'state'],
  async collect() {
    if (!queuesForMetrics) return;
    this.reset();
    for (const [queue, counts] of Object.entries(await queuesForMetrics.depths()))
      for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
  },
});

/** Starts the worker context and its tiny /health + /metrics server. */
export async function startWorker(
  config: AppConfig = loadConfig(),
  opts: { logger?: false | ('error' | 'warn' | 'log')[] } = {},
): Promise<RunningWorker> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), {
    bufferLogs: true,
  });
  app.useLogger(new JsonLogger(createPino(levelOf(opts.logger, config.LOG_LEVEL), 'worker')));
  const queues = app.get(Queues);
  queuesForMetrics = queues;
  await queues.checkEvictionPolicy();
  const db = app.get<DataSource>(getDataSourceToken());
  const http = createServer(async (req, res) => {
    try {
      if (req.url === '/health') {
        const [database, redis] = await Promise.all([
          db.query('SELECT 1').then(
            () => 'up',
            (e) => `down: ${e.message}`,
          ),
          queues.redis.ping().then(
            () => 'up',
            (e) => `down: ${e.message}`,
          ),
        ]);
        const ok = database === 'up' && redis === 'up';
        res
          .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: ok ? 'ok' : 'error', database, redis }));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': register.contentType }).end(await register.metrics());
      } else res.writeHead(404).end();
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((ok) =>
    config.listenHost
      ? http.listen(config.WORKER_PORT, config.listenHost, ok)
      : http.listen(config.WORKER_PORT, ok),
  );
  const port = (http.address() as AddressInfo).port;
  Logger.log(`worker running; /health and /metrics on port ${port}`, 'Worker');
  return {
    app,
    http,
    port,
    async close() {
      await new Promise((ok) => http.close(ok));
      await app.close();
    },
  };
}
