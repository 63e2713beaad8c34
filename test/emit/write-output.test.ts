/** Emit: deterministic bytes, atomic replacement, nothing written when nothing changed, secrets 0600 in 0700 folders. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { buildProject } from '../../src/build/build-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { loadProject } from '../../src/build/load-project.ts';
import { emitOutput } from '../../src/emit/write-output.ts';
import { EXAMPLE, exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { buildExample } from '../helpers/build-example.ts';
import { outputTree } from '../helpers/output-tree.ts';


describe('emitOutput', () => {
  it('writes byte-identical output for the same input in two separate builds', () => {
    const a = buildExample();
    const b = buildExample();
    expect(outputTree(b.clusterDir)).toEqual(outputTree(a.clusterDir));
  });

  it('gives the same output whatever the order of the profile files', () => {
    const documents = readFileSync(join(EXAMPLE, 'nodes/nodes.yaml'), 'utf8').split(/^---$/m);
    expect(documents).toHaveLength(3);
    // Each node in its own file, named so that the files sort in the reverse order of the nodes.
    const reordered = exampleProject({ 'nodes/nodes.yaml': '', 'nodes/a.yaml': documents[2]!, 'nodes/b.yaml': documents[1]!, 'nodes/c.yaml': documents[0]! });
    rmSync(join(reordered, 'nodes/nodes.yaml'));
    const source = buildExample(EXAMPLE);
    const again = buildExample(reordered);
    expect(outputTree(again.clusterDir)).toEqual(outputTree(source.clusterDir));
  });

  it('writes nothing when a rebuild changes nothing', () => {
    const built = buildExample();
    const before = statSync(join(built.clusterDir, 'manifest.json'));
    const inode = statSync(built.clusterDir).ino;
    const again = buildProject(EXAMPLE, { outDir: built.outDir, env: {} });
    expect(again.emit?.changed).toBe(false);
    expect(statSync(built.clusterDir).ino).toBe(inode);
    expect(statSync(join(built.clusterDir, 'manifest.json')).mtimeMs).toBe(before.mtimeMs);
  });

  it('leaves the previous output untouched when writing fails midway', () => {
    const built = buildExample();
    const before = outputTree(built.clusterDir);
    const changed = exampleProject({ 'roles/worker.yaml': replaceOnce('inline: worker', 'inline: worker-changed') });
    const loaded = loadProject(changed, { env: {} });
    const { builds } = compileProject(loaded.project!);
    let written = 0;
    const result = emitOutput({
      outDir: built.outDir,
      cluster: 'lab',
      builds,
      partial: false,
      writeFile: () => {
        if (++written === 3) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['emit/write-failed']);
    expect(outputTree(built.clusterDir)).toEqual(before);
    expect(readdirSync(built.outDir).filter((n) => n.includes('.staging-') || n.includes('.previous-'))).toEqual([]);
  });

  it('leaves the previous output untouched when the profiles are invalid', () => {
    const built = buildExample();
    const before = outputTree(built.clusterDir);
    const broken = exampleProject({ 'nodes/nodes.yaml': replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.21') });
    const result = buildProject(broken, { outDir: built.outDir, env: {} });
    expect(result.ok).toBe(false);
    expect(outputTree(built.clusterDir)).toEqual(before);
  });

  it('writes files holding credentials 0600 inside 0700 node folders', () => {
    const built = buildExample();
    for (const node of readdirSync(join(built.clusterDir, 'nodes'))) {
      expect(statSync(join(built.clusterDir, 'nodes', node)).mode & 0o777).toBe(0o700);
      for (const file of readdirSync(join(built.clusterDir, 'nodes', node))) {
        const mode = statSync(join(built.clusterDir, 'nodes', node, file)).mode & 0o777;
        expect(mode, `${node}/${file}`).toBe(file === 'meta-data' ? 0o644 : 0o600);
      }
    }
  });

  it('rebuilds only the named node and keeps the others as they were', () => {
    const built = buildExample();
    const before = outputTree(built.clusterDir);
    const changed = exampleProject({ 'roles/worker.yaml': replaceOnce('inline: worker', 'inline: worker-changed') });
    const result = buildProject(changed, { outDir: built.outDir, env: {}, nodes: ['worker-2'] });
    expect(result.ok).toBe(true);
    const after = outputTree(built.clusterDir);
    expect(after.get('nodes/worker-1/config.ign')).toBe(before.get('nodes/worker-1/config.ign'));
    expect(after.get('nodes/cp-1/config.ign')).toBe(before.get('nodes/cp-1/config.ign'));
    expect(after.get('nodes/worker-2/user-data')).not.toBe(before.get('nodes/worker-2/user-data'));
    expect(existsSync(join(built.clusterDir, 'manifest.json'))).toBe(true);
  });
});

it('puts the output under the output folder only, with its lock and its record of the files beside it', () => {
  const out = join(tempDir(), 'out');
  buildProject(EXAMPLE, { outDir: out, env: {} });
  expect(readdirSync(out).sort()).toEqual(['.lab.lock', '.lab.state.json', 'lab']);
});

it('removes the folder of a node that was deleted from the profiles', () => {
  const built = buildExample();
  const documents = readFileSync(join(EXAMPLE, 'nodes/nodes.yaml'), 'utf8').split(/^---$/m);
  const smaller = exampleProject({ 'nodes/nodes.yaml': documents.slice(0, 2).join('---') });
  const result = buildProject(smaller, { outDir: built.outDir, env: {} });
  expect(result.emit?.changed).toBe(true);
  expect(readdirSync(join(built.clusterDir, 'nodes')).sort()).toEqual(['cp-1', 'worker-1']);
});

it('leaves no output folder behind when a build fails after some nodes were staged', () => {
  // worker-1 (the second node) fails in its generated Ignition config, after cp-1 was staged.
  const dir = exampleProject({ 'roles/worker.yaml': replaceOnce('      WantedBy=multi-user.target\n', '      WantedBy=multi-user.target\n      [X-Broken\n') });
  const out = join(tempDir(), 'out');
  const result = buildProject(dir, { outDir: out, env: {} });
  expect(result.diagnostics.map((d) => `${d.code} ${d.severity}`)).toContain('ignition/invalid error');
  expect(result.ok).toBe(false);
  expect(existsSync(out)).toBe(false);
});

it("writes a seed image's zero system area as a hole that reads back as the same bytes, with the real sha256 in the manifest", () => {
  const built = buildExample();
  const seed = join(built.clusterDir, 'nodes/worker-2/seed.iso');
  const bytes = readFileSync(seed);
  const inMemory = built.builds.find((b) => b.node.name === 'worker-2')!.artifacts.find((a) => a.name === 'seed.iso')!.data as Uint8Array;
  expect(Buffer.compare(bytes, Buffer.from(inMemory))).toBe(0);
  expect(bytes.subarray(0, 32 * 1024).every((b) => b === 0)).toBe(true);
  const manifest = JSON.parse(readFileSync(join(built.clusterDir, 'manifest.json'), 'utf8')) as { artifacts: { path: string; sha256: string }[] };
  expect(manifest.artifacts.find((a) => a.path === 'nodes/worker-2/seed.iso')?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  // 512-byte blocks allocated: fewer than the file's size needs, since the first 32 KiB are a hole.
  const stat = statSync(seed);
  expect(stat.blocks * 512).toBeLessThan(stat.size);
  expect(stat.mode & 0o777).toBe(0o600);
});

it('records in manifest.json the sha256 of every file as it is on disk (digests computed while packing or rendering included)', () => {
  const built = buildExample();
  const manifest = JSON.parse(readFileSync(join(built.clusterDir, 'manifest.json'), 'utf8')) as { artifacts: { path: string; size: number; sha256: string }[] };
  expect(manifest.artifacts.map((a) => a.path)).toEqual(expect.arrayContaining(['nodes/worker-2/user-data', 'nodes/worker-2/seed.iso', 'nodes/cp-1/config.ign']));
  for (const artifact of manifest.artifacts) {
    const bytes = readFileSync(join(built.clusterDir, artifact.path));
    expect(artifact.sha256, artifact.path).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(artifact.size, artifact.path).toBe(bytes.length);
  }
});
