/** main() is called by tests and library users in their own process: it must not change V8's flags there. */
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, tempDir } from '../helpers/project.ts';

const setFlagsFromString = vi.hoisted(() => vi.fn());
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:v8')>()), setFlagsFromString }));

describe('main()', () => {
  it('builds without setting a process-wide V8 flag', async () => {
    const run = await runCli(['build', exampleProject(), '--out', join(tempDir(), 'out')]);
    expect(run.status).toBe(0);
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });
});
