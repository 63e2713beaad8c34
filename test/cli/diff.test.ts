import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const TOKEN = 'FAKE-example-token.not-a-real-credential.kindling-0000000000';

async function builtExample(): Promise<{ dir: string; out: string }> {
  const dir = exampleProject();
  const out = join(tempDir(), 'out');
  const build = await runCli(['build', dir, '--out', out]);
  expect(build.status, build.stderr).toBe(0);
  return { dir, out };
}

describe('kindling diff', () => {
  it('exits 0 and says so when a build would change nothing', async () => {
    const { dir, out } = await builtExample();
    const run = await runCli(['diff', dir, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\S*\/out\/lab\/ is up to date: a build would change nothing\n$/);
  });

  it('exits 1 and prints a per-node, per-file readable diff without the token when something would change', async () => {
    const { dir, out } = await builtExample();
    writeFileSync(join(dir, 'nodes/nodes.yaml'), replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.23')(readFileSync(join(dir, 'nodes/nodes.yaml'), 'utf8')));
    const run = await runCli(['diff', dir, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('node worker-2:\n  ~ nodes/worker-2/meta-data (changed)\n  ~ nodes/worker-2/seed.iso (changed, binary 77824 -> 77824 bytes)\n  ~ nodes/worker-2/user-data (changed)\n');
    expect(run.stdout).toContain('-        --public-ip=10.0.0.22 \\\n+        --public-ip=10.0.0.23 \\');
    expect(run.stdout).not.toMatch(/node (cp-1|worker-1):/);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    // Nothing was written: the same diff again.
    expect((await runCli(['diff', dir, '--out', out])).stdout).toBe(run.stdout);
  });

  it('shows every file as added when nothing was built yet, and reports JSON on request', async () => {
    const dir = exampleProject();
    const run = await runCli(['diff', dir, '--out', join(tempDir(), 'empty'), '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; changed: boolean; files: { path: string; change: string }[] };
    expect(report.ok).toBe(true);
    expect(report.changed).toBe(true);
    expect(report.files.map((f) => `${f.change} ${f.path}`)).toEqual([
      'added manifest.json',
      'added monitoring/flannel-alerts.test.yml',
      'added monitoring/flannel-alerts.yml',
      'added monitoring/prometheus-scrape.yml',
      'added nodes/cp-1/config.bu',
      'added nodes/cp-1/config.ign',
      'added nodes/cp-1/ignition.img',
      'added nodes/worker-1/config.bu',
      'added nodes/worker-1/config.ign',
      'added nodes/worker-1/ignition.img',
      'added nodes/worker-2/meta-data',
      'added nodes/worker-2/seed.iso',
      'added nodes/worker-2/user-data',
    ]);
    expect(run.stdout).not.toContain(TOKEN);
  });

  it('exits 2 (not 1, which means changes) with diagnostics for invalid profiles, comparing nothing', async () => {
    const dir = exampleProject({ 'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:21]') });
    const run = await runCli(['diff', dir, '--out', join(tempDir(), 'out')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('[node/duplicate-mac]');
    expect(run.stdout).toBe('');
  });

  it('exits 2 under --strict when a warning fails the run, and names the warning', async () => {
    const { dir, out } = await builtExample();
    const run = await runCli(['diff', dir, '--out', out, '--strict']);
    expect(run.status).toBe(2);
    // The example downloads its three artifacts unpinned (allowUnpinned), one warning each.
    expect(run.stderr).toContain('--strict: 3 warnings fail this run: artifact/unpinned (3);');
  });
});
