import {
  assertReachable,
  ConfigError,
  createPino,
  JsonLogger,
  loadConfig,
  Queues,
} from '@app/config';
import { Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  // The cluster's primary logs too (a replaced api process): JSON like the rest.
  Logger.overrideLogger(new JsonLogger(createPino(config.LOG_LEVEL, 'api')));
  if (cluster.isPrimary) await assertReachable(config);
  if (config.API_PROCESSES > 1 && cluster.isPrimary) {
    // Stateless api processes sharing one port; one that dies is replaced.
    for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      Logger.warn(
        `api process ${worker.process.pid} exited (${signal ?? code}); starting another`,
        'Main',
      );
      cluster.fork();
    });
    const stop = () => {
      cluster.removeAllListeners('exit');
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const app = await createApi(config);
  if (cluster.isPrimary) await app.get(Queues).checkEvictionPolicy();
  if (config.listenHost) await app.listen(config.PORT, config.listenHost);
  else await app.listen(config.PORT);
  Logger.log(`api listening on ${await app.getUrl()} (OpenAPI at /api/docs)`, 'Main');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
