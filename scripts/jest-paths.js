// Maps the tsconfig "@app/<lib>" aliases for Jest, so the aliases live in one place (tsconfig.json).
const tsconfig = require('../tsconfig.json');

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    mapper[`^${alias}$`] = `<rootDir>/${target}`;
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
