#!/usr/bin/env node
// `npm test`: sets up what the tests need (scripts/test-setup.mjs), checks lint and formatting, runs every
// tier of tests in one Jest run, and closes with the line CI reads: "N passed, N failed".
// `npm test -- <jest arguments>` runs only what those arguments select (no lint or formatting check).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError, setUp } from './test-setup.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const jestArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function finish(code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

/** A check that is not a Jest test (lint, formatting) counts as one test. */
function check(name, command, args) {
  console.log(`▸ ${name}: ${[command, ...args].join(' ')}`);
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (run.status === 0) {
    passed += 1;
    return;
  }
  failed += 1;
  console.log(`✖ ${name} failed:\n${run.stdout}${run.stderr}`);
}

let services;
try {
  services = await setUp(root);
} catch (err) {
  console.error(
    `\n✖ npm test cannot start: ${err instanceof SetupError ? err.message : err.stack}`,
  );
  failed = 1;
  finish(1);
}

const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
if (jestArgs.length === 0) {
  check('lint', process.execPath, [bin('eslint', 'bin/eslint.js'), '{apps,libs,test}/**/*.ts']);
  check('formatting', process.execPath, [
    bin('prettier', 'bin/prettier.cjs'),
    '--check',
    '--log-level=warn',
    '{apps,libs,test,scripts}/**/*.{ts,tsx,mjs,cjs,js}',
  ]);
}

const out = join(mkdtempSync(join(tmpdir(), 'helpdesk-test-')), 'results.json');
const run = spawnSync(
  process.execPath,
  [bin('jest', 'bin/jest.js'), '--json', `--outputFile=${out}`, ...jestArgs],
  { cwd: root, stdio: 'inherit', env: services.env },
);
await services.stop();

if (existsSync(out)) {
  const results = JSON.parse(readFileSync(out, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  // A suite that fails to load has no failed tests of its own, but it is a failure.
  failed += results.testResults.filter(
    (r) => r.status === 'failed' && r.assertionResults.length === 0,
  ).length;
} else {
  failed += 1;
}
finish(run.status === 0 && failed === 0 ? 0 : 1);
