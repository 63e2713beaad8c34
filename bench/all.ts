/**
 * `npm run bench [-- SIZES...]`: the fleet benchmark for the sizes given (default 1,000 and 10,000
 * nodes), then the start-up benchmark with its default number of runs. npm appends the arguments to
 * the end of a script, so one runner hands each benchmark its own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const run = (script: string, args: readonly string[]): void => {
  const result = spawnSync('npx', ['tsx', join(import.meta.dirname, script), ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('fleet.ts', process.argv.slice(2));
run('startup.ts', []);
