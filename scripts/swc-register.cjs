// Runs the TypeScript sources directly with SWC (decorator metadata on, as Nest needs), resolving the
// "@app/<lib>" aliases from tsconfig.json. Used by `npm run start:api|start:worker|migrate|seed` and by
// tests that spawn a worker: `node -r ./scripts/swc-register.cjs apps/worker/src/main.ts`.
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

const root = path.join(__dirname, '..');
const paths = require(path.join(root, 'tsconfig.json')).compilerOptions.paths;
const aliases = Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, target)]);

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const [alias, target] of aliases) {
    if (request === alias) return resolve.call(this, target, ...rest);
    if (request.startsWith(alias + '/'))
      return resolve.call(this, target + request.slice(alias.length), ...rest);
  }
  return resolve.call(this, request, ...rest);
};

Module._extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
