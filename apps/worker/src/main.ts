import { assertReachable, ConfigError, loadConfig } from '@app/config';
import { startWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  await assertReachable(config);
  const worker = await startWorker(config);
  const stop = async () => {
    await worker.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
