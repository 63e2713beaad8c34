#!/usr/bin/env node
// kindling's command line. `npm ci` compiles src/ into dist/ (the `prepare` script), and dist/ is
// what runs: start-up stays fast for large fleets. When dist/ is missing or older than a source
// file (a developer editing src/ or a schema, which dist/generated precompiles), the TypeScript
// sources run directly through tsx instead, so the command never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/cli/main.js`;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let main;
const newest = Math.max(newestSource(`${root}src`), newestSource(`${root}schemas`));
if (existsSync(compiled) && statSync(compiled).mtimeMs >= newest) {
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
