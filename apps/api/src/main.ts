import { assertReachable, ConfigError, loadConfig } from '@app/config';
import { Logger } from '@nestjs/common';

import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  await assertReachable(config);
  const app = await createApi(config);
  await app.listen(config.PORT);
  Logger.log(`api listening on ${await app.getUrl()} (OpenAPI at /api/docs)`, 'Main');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
