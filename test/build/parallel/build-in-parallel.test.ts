import { readdirSync, existsSync } from 'node:fs';
import { outputTree } from '../../helpers/output-tree.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProject } from '../../../src/build/build-project.ts';
import { buildProjectInParallel } from '../../../src/build/parallel/build-in-parallel.ts';
import { replaceOnce, tempDir } from '../../helpers/project.ts';
import { fleet } from '../../helpers/fleet.ts';


/** The write worker beside the rendering thread, for any project size. */
const THREADS = { jobs: 2, minNodesForWorkers: 1 };

describe('buildProjectInParallel', () => {
  it('writes the same files, modes and manifest as a one-thread build of a fleet of every os', async () => {
    const dir = fleet(120);
    const serialOut = join(tempDir(), 'out');
    const parallelOut = join(tempDir(), 'out');
    const serial = buildProject(dir, { outDir: serialOut, env: {} });
    const parallel = await buildProjectInParallel(dir, { outDir: parallelOut, env: {}, ...THREADS });
    expect(serial.ok).toBe(true);
    expect(parallel.ok).toBe(true);
    expect(parallel.nodes).toEqual(serial.nodes);
    expect(parallel.diagnostics).toEqual(serial.diagnostics);
    const expected = outputTree(serialOut);
    expect(expected.size).toBeGreaterThan(150 * 3);
    expect(outputTree(parallelOut)).toEqual(expected);
  });

  it('rebuilds a changed fleet into the same output as a one-thread rebuild, and writes nothing when nothing changed', async () => {
    const dir = fleet(90);
    const serialOut = join(tempDir(), 'out');
    const parallelOut = join(tempDir(), 'out');
    buildProject(dir, { outDir: serialOut, env: {} });
    expect((await buildProjectInParallel(dir, { outDir: parallelOut, env: {}, ...THREADS })).ok).toBe(true);
    const unchanged = await buildProjectInParallel(dir, { outDir: parallelOut, env: {}, ...THREADS });
    expect(unchanged.emit?.changed).toBe(false);

    const changed = fleet(90, { 'roles/worker.yaml': replaceOnce('inline: worker\n', 'inline: worker-v2\n') });
    expect(buildProject(changed, { outDir: serialOut, env: {} }).emit?.changed).toBe(true);
    const rebuilt = await buildProjectInParallel(changed, { outDir: parallelOut, env: {}, ...THREADS });
    expect(rebuilt.emit?.changed).toBe(true);
    expect(outputTree(parallelOut)).toEqual(outputTree(serialOut));
  });

  it('reports a bad node once, in node order, and leaves the previous output untouched', async () => {
    const dir = fleet(60);
    const outDir = join(tempDir(), 'out');
    expect((await buildProjectInParallel(dir, { outDir, env: {}, ...THREADS })).ok).toBe(true);
    const before = outputTree(outDir);
    // A unit go-systemd cannot read (an option without '='), in the role most nodes use: one diagnostic, no output.
    const broken = fleet(60, { 'roles/worker.yaml': replaceOnce('      Type=oneshot\n', '      Type oneshot\n') });
    const serial = buildProject(broken, { outDir: join(tempDir(), 'out'), env: {} });
    const result = await buildProjectInParallel(broken, { outDir, env: {}, ...THREADS });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual(serial.diagnostics);
    expect(result.diagnostics.filter((d) => d.code === 'unit/invalid-contents' || d.code === 'ignition/invalid').length).toBeGreaterThan(0);
    expect(outputTree(outDir)).toEqual(before);
    expect(readdirSync(outDir).filter((name) => name.includes('.staging-') || name.includes('.previous-'))).toEqual([]);
  });

  it('builds a project below the worker threshold with default options, nodes in profile order', async () => {
    const dir = fleet(3);
    const outDir = join(tempDir(), 'out');
    const result = await buildProjectInParallel(dir, { outDir, env: {} });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(existsSync(join(outDir, 'lab', 'nodes', 'fleet-0', 'seed.iso'))).toBe(true);
    expect(result.nodes.map((n) => n.name).slice(0, 3)).toEqual(['fleet-0', 'fleet-1', 'fleet-2']);
  });

  it('with two threads renders a fresh fleet here and writes it on the other thread: the files, modes and manifest of a one-thread build', async () => {
    const dir = fleet(120);
    const serialOut = join(tempDir(), 'out');
    const parallelOut = join(tempDir(), 'out');
    const serial = buildProject(dir, { outDir: serialOut, env: {} });
    const parallel = await buildProjectInParallel(dir, { outDir: parallelOut, env: {}, jobs: 2, minNodesForWorkers: 1 });
    expect(parallel.ok).toBe(true);
    expect(parallel.nodes).toEqual(serial.nodes);
    expect(parallel.diagnostics).toEqual(serial.diagnostics);
    expect(outputTree(parallelOut)).toEqual(outputTree(serialOut));
    // A rebuild (the output exists) compares before it writes, on this thread, and changes nothing.
    const again = await buildProjectInParallel(dir, { outDir: parallelOut, env: {}, jobs: 2, minNodesForWorkers: 1 });
    expect(again.emit?.changed).toBe(false);
    expect(outputTree(parallelOut)).toEqual(outputTree(serialOut));
  });

  it('with two threads leaves nothing behind when a node fails, and reports as a one-thread build does', async () => {
    const broken = fleet(60, { 'roles/worker.yaml': replaceOnce('      Type=oneshot\n', '      Type oneshot\n') });
    const outDir = join(tempDir(), 'out');
    const serial = buildProject(broken, { outDir: join(tempDir(), 'out'), env: {} });
    const result = await buildProjectInParallel(broken, { outDir, env: {}, jobs: 2, minNodesForWorkers: 1 });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual(serial.diagnostics);
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('with two threads fails a build whose files cannot be written with emit/write-failed, leaving no staging folder behind', async () => {
    const dir = fleet(40);
    // An output folder so deep that the staging folder fits in PATH_MAX but a node folder inside it does not.
    let outDir = tempDir();
    while (outDir.length < 4059 - 201) outDir = join(outDir, 'd'.repeat(200));
    outDir = join(outDir, 'e'.repeat(4059 - outDir.length - 1));
    expect(outDir.length).toBe(4059);
    const serial = buildProject(dir, { outDir, env: {} });
    const parallel = await buildProjectInParallel(dir, { outDir, env: {}, jobs: 2, minNodesForWorkers: 1 });
    for (const result of [serial, parallel]) {
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map((d) => d.code)).toContain('emit/write-failed');
    }
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('with two threads writes on the rendering thread too when the writer falls behind, with the same output', async () => {
    const dir = fleet(100);
    const serialOut = join(tempDir(), 'out');
    const parallelOut = join(tempDir(), 'out');
    buildProject(dir, { outDir: serialOut, env: {} });
    // A backlog of 1: every batch finds the writer busy with the one before, until it answers.
    const parallel = await buildProjectInParallel(dir, { outDir: parallelOut, env: {}, jobs: 2, minNodesForWorkers: 1, writerBacklog: 1 });
    expect(parallel.ok).toBe(true);
    expect(outputTree(parallelOut)).toEqual(outputTree(serialOut));
    // A backlog of 0: the rendering thread writes every batch itself.
    const hereOut = join(tempDir(), 'out');
    const here = await buildProjectInParallel(dir, { outDir: hereOut, env: {}, jobs: 2, minNodesForWorkers: 1, writerBacklog: 0 });
    expect(here.ok).toBe(true);
    expect(outputTree(hereOut)).toEqual(outputTree(serialOut));
  });
});
