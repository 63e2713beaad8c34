#!/usr/bin/env node
// Makes bundle/cli.cjs.cache, the V8 code cache bin/load-cli.js loads the bundle with: compiles the
// bundle, runs a few short commands so that their functions are compiled too, and saves the cache
// stamped with the bundle's hash. scripts/build-cli.mjs runs it, in a process of its own: V8 takes
// a cache only from a process with the same flags as the one that reads it (none).
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE, loadCli } from '../bin/load-cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = { stdout: () => {}, stderr: () => {}, color: false };
const { main, script, stamp } = loadCli({ useCache: false });
if (stamp === undefined) throw new Error('bundle/cli.cjs has no stamp; build it with scripts/build-cli.mjs');

const scratch = mkdtempSync(join(tmpdir(), 'kindling-prime-'));
try {
  const butane = join(scratch, 'config.bu');
  writeFileSync(butane, 'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/hostname\n      mode: 0644\n      contents:\n        inline: node-1\n');
  await main(['butane', butane], quiet);
  await main(['validate', join(root, 'profiles')], quiet);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const temporary = `${CACHE}.${process.pid}.tmp`;
writeFileSync(temporary, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()]));
renameSync(temporary, CACHE);
