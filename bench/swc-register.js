// Minimal require hook so the benchmark runs straight from TypeScript sources
// (no ts-node here): each .ts file is compiled in memory with @swc/core and the
// repo's .swcrc (which also maps the @app/* path aliases).
const fs = require('fs');
const path = require('path');
const swc = require('@swc/core');
const Module = require('module');

const root = path.resolve(__dirname, '..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = root;
swcrc.sourceMaps = 'inline';

const aliases = Object.fromEntries(Object.entries(swcrc.jsc.paths).map(([k, v]) => [k, path.join(root, v[0])]));
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return origResolve.call(this, aliases[request] ?? request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const out = swc.transformSync(src, { ...swcrc, filename, swcrc: false });
  module._compile(out.code, filename);
};
