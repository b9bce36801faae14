/** `npm run migrate`: runs pending migrations against DATABASE_URL (creating the database if missing). */
import { loadConfig } from '@app/config';
import { Client } from 'pg';
import { migrate } from './data-source';

export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.DATABASE_URL);
  const ran = await migrate(config.DATABASE_URL);
  console.log(ran.length ? `Ran migrations: ${ran.join(', ')}` : 'Database is up to date.');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`migrate failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
