import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildProject } from '../../../src/build/build-project.ts';
import { buildProjectInParallel } from '../../../src/build/parallel/build-in-parallel.ts';
import { autoinstallProblems } from '../../../src/render/install/autoinstall-schema.ts';
import { buildExample } from '../../helpers/build-example.ts';
import { outputTree } from '../../helpers/output-tree.ts';
import { exampleProject, replaceOnce, tempDir } from '../../helpers/project.ts';

const PUBLISH = 'http://10.0.0.1:8080/lab/';

/** The example with a publish URL and its cloud-init node (worker-2) installing Ubuntu to /dev/sda. */
function installingProject(delivery = ''): string {
  return exampleProject({
    'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${PUBLISH}\n${delivery}`,
    'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]\n', 'macs: [52:54:00:00:00:22]\ninstall: { disk: /dev/sda }\n'),
  });
}

interface Manifest {
  artifacts: { path: string; node?: string; kind: string }[];
}

describe('a build with an Ubuntu worker that installs by autoinstall', () => {
  it('writes nodes/<node>/autoinstall/user-data and meta-data, private (0600 in a 0700 folder), beside the live-boot seed', () => {
    const built = buildExample(installingProject());
    const dir = join(built.clusterDir, 'nodes/worker-2');
    expect(statSync(join(dir, 'autoinstall')).mode & 0o777).toBe(0o700);
    for (const name of ['autoinstall/user-data', 'autoinstall/meta-data']) expect({ name, mode: statSync(join(dir, name)).mode & 0o777 }).toEqual({ name, mode: 0o600 });
    for (const name of ['user-data', 'meta-data', 'seed.iso']) expect(existsSync(join(dir, name))).toBe(true);
    const document = load(readFileSync(join(dir, 'autoinstall/user-data'), 'utf8'));
    expect(autoinstallProblems(document)).toEqual([]);
    const own = load(readFileSync(join(dir, 'user-data'), 'utf8')) as Record<string, unknown>;
    expect((document as { autoinstall: Record<string, unknown> }).autoinstall['user-data']).toEqual({ hostname: 'worker-2', ...own });
  });

  it.runIf(process.getuid?.() === 0)('gives the seed to the serving group: 0640 files in a 0750 folder', () => {
    const base = tempDir();
    chmodSync(base, 0o755);
    const result = buildProject(installingProject('  serveGroup: www-data\n'), { outDir: join(base, 'out'), env: {} });
    expect(result.ok).toBe(true);
    const dir = join(base, 'out/lab/nodes/worker-2');
    expect(statSync(join(dir, 'autoinstall')).mode & 0o777).toBe(0o750);
    for (const name of ['autoinstall/user-data', 'autoinstall/meta-data']) expect({ name, mode: statSync(join(dir, name)).mode & 0o777 }).toEqual({ name, mode: 0o640 });
  });

  it('lists both files in the manifest as autoinstall artifacts of the node, and only for the installing node', () => {
    const built = buildExample(installingProject());
    const manifest = JSON.parse(readFileSync(join(built.clusterDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.artifacts.filter((a) => a.kind.startsWith('autoinstall')).map((a) => [a.path, a.node, a.kind])).toEqual([
      ['nodes/worker-2/autoinstall/meta-data', 'worker-2', 'autoinstall-meta-data'],
      ['nodes/worker-2/autoinstall/user-data', 'worker-2', 'autoinstall-user-data'],
    ]);
  });

  it('reuses the unchanged seed on a rebuild and rewrites it when the disk changes', () => {
    const project = installingProject();
    const out = join(tempDir(), 'out');
    const first = buildProject(project, { outDir: out, env: {} });
    expect(first.ok).toBe(true);
    const seed = join(out, 'lab/nodes/worker-2/autoinstall/user-data');
    const before = readFileSync(seed, 'utf8');
    const again = buildProject(project, { outDir: out, env: {} });
    expect({ changed: again.emit?.changed, reused: again.reusedNodes }).toEqual({ changed: false, reused: 3 });
    expect(readFileSync(seed, 'utf8')).toBe(before);
    const nodes = join(project, 'nodes/nodes.yaml');
    writeFileSync(nodes, readFileSync(nodes, 'utf8').replace('install: { disk: /dev/sda }', 'install: { disk: /dev/vda }'));
    const changed = buildProject(project, { outDir: out, env: {} });
    expect({ changed: changed.emit?.changed, reused: changed.reusedNodes }).toEqual({ changed: true, reused: 2 });
    expect(readFileSync(seed, 'utf8')).toContain('path: /dev/vda\n');
    expect(statSync(seed).mode & 0o777).toBe(0o600);
  });

  it('writes the seed from the write thread of a parallel build as a one-thread build does', async () => {
    const project = installingProject();
    const serialOut = join(tempDir(), 'out');
    const parallelOut = join(tempDir(), 'out');
    expect(buildProject(project, { outDir: serialOut, env: {} }).ok).toBe(true);
    expect((await buildProjectInParallel(project, { outDir: parallelOut, env: {}, jobs: 2, minNodesForWorkers: 1 })).ok).toBe(true);
    const tree = outputTree(parallelOut);
    expect([...tree.keys()].filter((path) => path.includes('/autoinstall/'))).toEqual(['lab/nodes/worker-2/autoinstall/', 'lab/nodes/worker-2/autoinstall/meta-data', 'lab/nodes/worker-2/autoinstall/user-data']);
    expect(tree).toEqual(outputTree(serialOut));
  });

  it('reports a /dev/disk/ link the installer cannot match at the install block, and writes no seed', () => {
    const dir = exampleProject({
      'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${PUBLISH}\n`,
      'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]\n', 'macs: [52:54:00:00:00:22]\ninstall: { disk: /dev/disk/by-path/pci-0000:00:1f.2-ata-1 }\n'),
    });
    const result = buildProject(dir, { outDir: join(tempDir(), 'out'), env: {} });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['install/autoinstall-disk', 28, 10]]);
  });
});
