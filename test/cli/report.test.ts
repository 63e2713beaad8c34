/** The CLI's diagnostics report reads located files for code frames with the same bounds as any input. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { exampleProject } from '../helpers/project.ts';
import { runCli } from '../helpers/cli.ts';

describe('kindling validate report', () => {
  it('reports a profile file that is a FIFO at the file, without waiting on it for a code frame', async () => {
    const dir = exampleProject();
    execFileSync('mkfifo', [join(dir, 'nodes/extra.yaml')]);
    const result = await runCli(['validate', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/nodes\/extra\.yaml:1:1: error cannot read profile file '.*nodes\/extra\.yaml': a FIFO \(named pipe\), not a regular file \[io\/not-a-file\]\n {2}hint: /);
  });
});
