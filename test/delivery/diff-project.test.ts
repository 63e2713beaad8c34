/** What a build would change, as a library call: the per-file diffs against out/<cluster>/, writing nothing. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.ts';
import { diffProject } from '../../src/delivery/diff-project.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

function builtExample(): { dir: string; out: string } {
  const dir = exampleProject();
  const out = join(tempDir(), 'out');
  expect(buildProject(dir, { outDir: out }).ok).toBe(true);
  return { dir, out };
}

describe('diffProject', () => {
  it('finds nothing to change right after a build, and names the cluster folder it compared with', () => {
    const { dir, out } = builtExample();
    const result = diffProject(dir, { outDir: out });
    expect(result.files).toEqual([]);
    expect(result.clusterDir).toBe(join(out, 'lab'));
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(false);
  });

  it('reports the files of the one node whose profile changed, and the manifest that lists them, writing nothing', () => {
    const { dir, out } = builtExample();
    writeFileSync(join(dir, 'nodes/nodes.yaml'), replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.23')(readFileSync(join(dir, 'nodes/nodes.yaml'), 'utf8')));
    const before = readFileSync(join(out, 'lab/nodes/worker-2/user-data'));
    const result = diffProject(dir, { outDir: out });
    expect(result.files?.map((f) => [f.node, f.path, f.change])).toEqual([
      [undefined, 'manifest.json', 'changed'],
      // The node's address is its scrape target and part of its expected flannel config digest.
      [undefined, 'monitoring/flannel-alerts.yml', 'changed'],
      [undefined, 'monitoring/prometheus-scrape.yml', 'changed'],
      ['worker-2', 'nodes/worker-2/meta-data', 'changed'],
      ['worker-2', 'nodes/worker-2/seed.iso', 'changed'],
      ['worker-2', 'nodes/worker-2/user-data', 'changed'],
    ]);
    expect(readFileSync(join(out, 'lab/nodes/worker-2/user-data'))).toEqual(before);
  });

  it('lists every file as added when nothing was built yet, and creates no output folder', () => {
    const out = join(tempDir(), 'empty');
    const result = diffProject(exampleProject(), { outDir: out });
    expect(result.files?.length).toBeGreaterThan(0);
    expect(new Set(result.files?.map((f) => f.change))).toEqual(new Set(['added']));
    expect(existsSync(out)).toBe(false);
  });

  it('returns no diff for an invalid project, and none under strict when there are warnings', () => {
    const invalid = diffProject(exampleProject({ 'nodes/nodes.yaml': replaceOnce('name: cp-1', 'name: CP-1') }), { outDir: join(tempDir(), 'out') });
    expect(invalid.files).toBeUndefined();
    expect(invalid.diagnostics.map((d) => d.code)).toContain('node/invalid-name');
    const strict = diffProject(exampleProject(), { outDir: join(tempDir(), 'out'), strict: true });
    expect(strict.files).toBeUndefined();
    expect(strict.diagnostics.map((d) => d.code)).toContain('artifact/unpinned');
  });
});
