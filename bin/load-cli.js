// Loads the command line's bundle, bundle/cli.cjs (scripts/build-cli.mjs), with the V8 code cache
// the build made for it, bundle/cli.cjs.cache: compiling the bundle's source is most of what a
// short command adds to Node's own start. The build stamps the bundle and its cache with the
// bundle's hash, and a cache is used only with the source it was made from; without one, or when
// V8 rejects it (another Node version, other V8 flags), the source compiles as usual.
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'bundle', 'cli.cjs');
const CACHE = `${BUNDLE}.cache`;
/** The bundle's last line (scripts/build-cli.mjs), and the first bytes of its cache. */
const STAMP = /\n\/\/ kindling-bundle ([0-9a-f]{64})\n$/;

function stampOf(source) {
  return STAMP.exec(source.slice(-100))?.[1];
}

function cachedDataFor(stamp) {
  let cache;
  try {
    cache = readFileSync(CACHE);
  } catch {
    return undefined;
  }
  return stamp !== undefined && cache.subarray(0, 64).toString('latin1') === stamp ? cache.subarray(64) : undefined;
}

/** The bundle's exports, its compiled script (to make a cache from) and its stamp. */
function loadCli({ useCache = true } = {}) {
  const source = readFileSync(BUNDLE, 'utf8');
  const stamp = stampOf(source);
  const script = new Script(wrap(source), { filename: BUNDLE, cachedData: useCache ? cachedDataFor(stamp) : undefined });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { main: module.exports.main, script, stamp };
}

module.exports = { BUNDLE, CACHE, loadCli };
