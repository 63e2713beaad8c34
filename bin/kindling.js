#!/usr/bin/env node
// kindling's command line: runs the bundle scripts/build-cli.mjs builds from src/ (`npm ci` builds it
// through the `prepare` script, `npm run build` and the tests rebuild it), loading only the code of
// the command it runs.
import { existsSync } from 'node:fs';
import { setV8FlagsFor } from './v8-flags.js';

const argv = process.argv.slice(2);
const bundle = new URL('../bundle/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('kindling: the command line is not built; run `npm run build` (or `npm ci`) in its folder\n');
  process.exit(70);
}
await setV8FlagsFor(argv);
const { main } = await import(bundle.href);
process.exitCode = await main(argv);
