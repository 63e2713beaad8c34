import { describe, expect, it } from 'vitest';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, tempDir } from '../helpers/project.ts';

/** The example downloads its three artifacts unpinned: three artifact/unpinned warnings. */
const ACKNOWLEDGE_UNPINNED = (text: string): string => `${text}\nacknowledge:\n  - code: artifact/unpinned\n    reason: lab mirror, pinned by kindling lock before production\n`;
const also = (code: string, reason: string) => (text: string): string => `${text}\nacknowledge:\n  - { code: ${code}, reason: ${reason} }\n`;

describe('warnings a project acknowledges', () => {
  it('fail no --strict build, are counted in the summary line and not printed in full', async () => {
    const dir = exampleProject({ 'cluster.yaml': ACKNOWLEDGE_UNPINNED });
    const run = await runCli(['build', dir, '--out', join(tempDir(), 'out'), '--strict']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('0 errors, 0 warnings (3 acknowledged)\n');
  });

  it('still fail --strict without the acknowledgement, which names them', async () => {
    const run = await runCli(['build', exampleProject(), '--out', join(tempDir(), 'out'), '--strict']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[artifact/unpinned]');
    expect(run.stderr).toContain('--strict: 3 warnings fail this run: artifact/unpinned (3);');
  });

  it('carry the reason in JSON reports', async () => {
    const run = await runCli(['validate', exampleProject({ 'cluster.yaml': ACKNOWLEDGE_UNPINNED }), '--format', 'json', '--strict']);
    const report = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string; acknowledged?: string }[] };
    expect(report.ok).toBe(true);
    expect(report.diagnostics.map((d) => [d.code, d.acknowledged])).toEqual([
      ['artifact/unpinned', 'lab mirror, pinned by kindling lock before production'],
      ['artifact/unpinned', 'lab mirror, pinned by kindling lock before production'],
      ['artifact/unpinned', 'lab mirror, pinned by kindling lock before production'],
    ]);
  });

  it('never turn an error into something that passes', async () => {
    const dir = exampleProject({
      'cluster.yaml': also('node/duplicate-mac', 'test'),
      'nodes/nodes.yaml': (t) => t.replace('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:21]'),
    });
    const run = await runCli(['validate', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[node/duplicate-mac]');
  });

  it('must name a code kindling has, with a suggestion for a near miss', async () => {
    const run = await runCli(['validate', exampleProject({ 'cluster.yaml': also('artifact/unpined', 'typo') })]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cluster\.yaml:\d+:13: error 'artifact\/unpined' is not a kindling diagnostic code.*\[acknowledge\/unknown-code\]/);
    expect(run.stderr).toContain("hint: did you mean 'artifact/unpinned'?");
  });

  it('warns about a token file its group or others can read, at the setting, with the fix', async () => {
    const dir = exampleProject();
    chmodSync(join(dir, 'secrets/flannel.token'), 0o644);
    const run = await runCli(['validate', dir, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string; message: string; hint?: string; line?: number; column?: number }[] };
    const warning = report.diagnostics.find((d) => d.code === 'secret/readable-by-others');
    expect(warning).toMatchObject({ line: 14, column: 20, message: "the token file 'secrets/flannel.token' can be read by its group or by others (mode 0644)" });
    expect(warning!.hint).toMatch(/^chmod 600 secrets\/flannel\.token/);
    chmodSync(join(dir, 'secrets/flannel.token'), 0o600);
    const quiet = JSON.parse((await runCli(['validate', dir, '--format', 'json'])).stdout) as { diagnostics: { code: string }[] };
    expect(quiet.diagnostics.map((d) => d.code)).not.toContain('secret/readable-by-others');
  });
});
