// Whether node_modules matches package-lock.json, so `npm start` runs `npm ci` only when it must.
// Node built-ins only: this runs on a fresh clone, before anything is installed.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

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

module.exports = { installReason, missingOptionals };
