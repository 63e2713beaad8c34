/**
 * V8's flags are the whole process's. main() is called by tests and library users in their own
 * process, so it sets none; bin/kindling.js sets the build's for its own process.
 */
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, REPO, tempDir } from '../helpers/project.ts';

const setFlagsFromString = vi.hoisted(() => vi.fn());
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:v8')>()), setFlagsFromString }));

/** The V8 flags `node bin/kindling.js <args>` set, seen through a wrapper preloaded into that process. */
function flagsSetBy(args: string[]): string[] {
  const spy =
    "import v8 from 'node:v8'; import { syncBuiltinESMExports } from 'node:module';" +
    'const set = v8.setFlagsFromString; const flags = [];' +
    "v8.setFlagsFromString = (flag) => { flags.push(flag); set(flag); }; syncBuiltinESMExports();" +
    "process.on('exit', () => process.stderr.write('\\nV8 flags: ' + JSON.stringify(flags) + '\\n'));";
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(spy)}`, join(REPO, 'bin/kindling.js'), ...args], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(/^V8 flags: (.*)$/m.exec(run.stderr)![1]!) as string[];
}

describe('V8 flags', () => {
  it('are not set by main(), even for a build', async () => {
    const run = await runCli(['build', exampleProject(), '--out', join(tempDir(), 'out')]);
    expect(run.status).toBe(0);
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });

  it('are set by the command line for a build (no inlining), and for no other command', () => {
    expect(flagsSetBy(['build', exampleProject(), '--out', join(tempDir(), 'out')])).toEqual(['--no-turbo-inlining']);
    expect(flagsSetBy(['validate', exampleProject()])).toEqual([]);
  });
});
