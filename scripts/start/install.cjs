// Whether node_modules matches package-lock.json, so `npm start` and `npm test` install only when they
// must, and whether the web app needs building.
// Node built-ins only: this runs on a fresh clone, before anything is installed.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function readPackages(file) {
  return JSON.parse(readFileSync(file, 'utf8')).packages ?? {};
}

/**
 * Returns why an install is needed (a sentence), or null when node_modules is up to date.
 * npm keeps what it installed in node_modules/.package-lock.json; every package of package-lock.json
 * must be there at the same version, except optional ones this platform skips (other OS binaries).
 */
function installReason(root) {
  const lockFile = join(root, 'package-lock.json');
  const hiddenFile = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(lockFile)) return 'package-lock.json is missing';
  if (!existsSync(hiddenFile))
    return 'node_modules was not installed by npm from package-lock.json';
  const wanted = readPackages(lockFile);
  const installed = readPackages(hiddenFile);
  for (const [path, entry] of Object.entries(wanted)) {
    if (!path.startsWith('node_modules/') && !path.includes('/node_modules/')) continue;
    const have = installed[path];
    if (!have) {
      if (entry.optional || entry.devOptional || entry.peer) continue;
      return `${path.replace(/^.*node_modules\//, '')}@${entry.version} is not installed`;
    }
    if (entry.version && have.version !== entry.version) {
      return `${path.replace(/^.*node_modules\//, '')} is ${have.version}, package-lock.json wants ${entry.version}`;
    }
  }
  for (const path of Object.keys(installed)) {
    if (path.startsWith('node_modules/') && !wanted[path])
      return `${path.slice('node_modules/'.length)} is installed but no longer in package-lock.json`;
  }
  return null;
}

/**
 * Optional dependencies that package-lock.json names but holds no entry for. A registry that lacks other
 * platforms' binaries writes such a lock; `npm ci` then refuses it ("Missing: ... from lock file").
 */
function missingOptionals(root) {
  const packages = readPackages(join(root, 'package-lock.json'));
  const names = new Set(Object.keys(packages).map((path) => path.replace(/^.*node_modules\//, '')));
  const missing = new Set();
  for (const entry of Object.values(packages)) {
    for (const dep of Object.keys(entry.optionalDependencies ?? {}))
      if (!names.has(dep)) missing.add(dep);
  }
  return [...missing];
}

/**
 * Installs from package-lock.json when node_modules is missing or differs from it (`npm start` and
 * `npm test` both begin here). Throws an Error saying what went wrong.
 */
function ensureInstalled(root, { say = console.log, env = process.env } = {}) {
  const reason = installReason(root);
  if (!reason) return false;
  const flags = ['--include=dev', '--no-audit', '--no-fund'];
  // npm ci refuses a lock file that lacks the optional binaries of other platforms (a registry without
  // them writes such a lock). `npm install --no-save` installs the same versions from the lock and
  // leaves package.json and package-lock.json untouched.
  const missing = missingOptionals(root);
  if (missing.length === 0) {
    say(`Installing dependencies (${reason}): npm ci`);
    if (spawnSync(npm, ['ci', ...flags], { cwd: root, stdio: 'inherit', env }).status === 0)
      return true;
    say(
      'npm ci failed (see above); installing from package-lock.json with npm install --no-save instead',
    );
  } else {
    say(
      `Installing dependencies (${reason}): npm install --no-save (package-lock.json lacks ${missing.length} optional packages of other platforms, which npm ci refuses)`,
    );
  }
  const run = spawnSync(npm, ['install', '--no-save', ...flags], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  if (run.status !== 0)
    throw new Error('npm install failed (see above). Fix the error and run again.');
  const still = installReason(root);
  if (still)
    throw new Error(
      `after npm install, node_modules still differs from package-lock.json: ${still}`,
    );
  return true;
}

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** The api serves apps/web/dist: true when it is missing or older than the web app's sources. */
function webBuildNeeded(root) {
  if (!existsSync(join(root, 'apps/web/src'))) return false;
  const built = join(root, 'apps/web/dist/index.html');
  const sources = [
    'apps/web/src',
    'apps/web/public',
    'apps/web/index.html',
    'apps/web/vite.config.ts',
  ].map((p) => newestChange(join(root, p)));
  return !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources);
}

module.exports = { installReason, missingOptionals, ensureInstalled, webBuildNeeded };
