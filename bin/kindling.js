#!/usr/bin/env node
// kindling's command line: runs the bundle scripts/build-cli.mjs builds from src/ (`npm ci` builds it
// through the `prepare` script, `npm run build` and the tests rebuild it). CommonJS, like the
// bundle (bin/package.json), so that a start needs no ES module loader.
'use strict';
const { existsSync } = require('node:fs');
const { BUNDLE, loadCli } = require('./load-cli.js');
const { setV8FlagsFor } = require('./v8-flags.js');

const argv = process.argv.slice(2);
if (!existsSync(BUNDLE)) {
  process.stderr.write('kindling: the command line is not built; run `npm run build` (or `npm ci`) in its folder\n');
  process.exit(70);
}
setV8FlagsFor(argv);
loadCli()
  .main(argv)
  .then((code) => {
    process.exitCode = code;
  });
