/**
 * A rebuild reuses the nodes whose inputs did not change (their input digest) instead of building
 * them again. The shortcut is checked against the long way: after every kind of input change, the
 * rebuilt output must equal a fresh build of the changed project, file for file and mode for mode,
 * while the nodes the change does not touch are reused. A digest that missed an input would keep
 * a stale node and fail here.
 */
import { describe, expect, it } from 'vitest';
import { outputTree } from '../helpers/output-tree.ts';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { buildProject, type BuildResult } from '../../src/build/build-project.ts';
import { REPO, exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';


function build(project: string, out: string, env: NodeJS.ProcessEnv = {}): BuildResult {
  const result = buildProject(project, { outDir: out, env });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  return result;
}

/** Builds `project`, applies `change`, rebuilds into the same folder; returns the rebuild and a fresh build of the changed project. */
function rebuildAfter(project: string, change: () => void, env: { before?: NodeJS.ProcessEnv; after?: NodeJS.ProcessEnv } = {}) {
  const out = join(tempDir(), 'out');
  build(project, out, env.before);
  change();
  const rebuilt = build(project, out, env.after);
  const fresh = join(tempDir(), 'fresh');
  build(project, fresh, env.after);
  return { rebuilt, actual: outputTree(join(out, 'lab')), expected: outputTree(join(fresh, 'lab')) };
}

const edit = (project: string, file: string, change: (text: string) => string): void => {
  const path = join(project, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
};

describe('an incremental rebuild', () => {
  it('reuses every node when nothing changed, and writes nothing', () => {
    const project = exampleProject();
    const out = join(tempDir(), 'out');
    const first = build(project, out);
    const before = outputTree(join(out, 'lab'));
    const again = build(project, out);
    expect(again.reusedNodes).toBe(3);
    expect(again.emit?.changed).toBe(false);
    expect(outputTree(join(out, 'lab'))).toEqual(before);
    // A reused node reports what its build reported: the same nodes, files and warnings.
    expect(again.nodes).toEqual(first.nodes);
    expect(again.diagnostics).toEqual(first.diagnostics);
  });

  // Each case: what changes, and how many of the three nodes (cp-1 control plane; worker-1, worker-2 workers) it leaves alone.
  const cases: { name: string; reused: number; setup?: (project: string) => void; change: (project: string) => void }[] = [
    { name: 'a node setting', reused: 2, change: (p) => edit(p, 'nodes/nodes.yaml', replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.23')) },
    { name: "a role's file", reused: 1, change: (p) => edit(p, 'roles/worker.yaml', replaceOnce('inline: worker', 'inline: worker, changed')) },
    { name: 'a cluster setting', reused: 0, change: (p) => edit(p, 'cluster.yaml', replaceOnce('vni: 1', 'vni: 2')) },
    { name: 'a secret file', reused: 0, change: (p) => edit(p, 'secrets/flannel.token', (token) => `${token.trim()}x\n`) },
    {
      name: 'a template override',
      reused: 0,
      change: (p) => {
        mkdirSync(join(p, 'templates'), { recursive: true });
        writeFileSync(join(p, 'templates/flanneld.service.hbs'), `${readFileSync(join(REPO, 'templates/flanneld.service.hbs'), 'utf8')}# site note\n`);
      },
    },
    {
      name: 'the lock file',
      reused: 0,
      change: (p) =>
        writeFileSync(
          join(p, 'kindling.lock'),
          `version: 1\nartifacts:\n  - url: https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64\n    sha256: ${'cd'.repeat(32)}\n    sha512: ${'ab'.repeat(64)}\n    size: 1234\n`,
        ),
    },
    {
      name: 'a local file a role names',
      reused: 1,
      setup: (p) => {
        writeFileSync(join(p, 'roles/motd.txt'), 'first\n');
        edit(p, 'roles/worker.yaml', replaceOnce('      inline: worker\n', '      local: motd.txt\n'));
      },
      change: (p) => writeFileSync(join(p, 'roles/motd.txt'), 'second\n'),
    },
    {
      name: "the key order inside a role's file, which changes nothing the nodes are built from",
      reused: 3,
      change: (p) => edit(p, 'roles/worker.yaml', replaceOnce('    mode: 0644\n    contents:\n      inline: worker\n', '    contents:\n      inline: worker\n    mode: 0644\n')),
    },
  ];

  for (const { name, reused, setup, change } of cases) {
    it(`after a change to ${name}, equals a fresh build and reuses only the nodes the change leaves alone`, () => {
      const project = exampleProject();
      setup?.(project);
      const { rebuilt, actual, expected } = rebuildAfter(project, () => change(project));
      expect(actual).toEqual(expected);
      expect(rebuilt.reusedNodes).toBe(reused);
    });
  }

  it('rebuilds every node when a secret given in the environment changes', () => {
    const project = exampleProject({ 'cluster.yaml': replaceOnce('token: { file: secrets/flannel.token }', 'token: { env: LAB_FLANNEL_TOKEN }') });
    const { rebuilt, actual, expected } = rebuildAfter(project, () => {}, { before: { LAB_FLANNEL_TOKEN: 'first-token' }, after: { LAB_FLANNEL_TOKEN: 'second-token' } });
    expect(actual).toEqual(expected);
    expect(rebuilt.reusedNodes).toBe(0);
  });

  it('restores a tampered file of an unchanged node, and builds only that node', () => {
    const project = exampleProject();
    const out = join(tempDir(), 'out');
    build(project, out);
    const expected = outputTree(join(out, 'lab'));
    const file = join(out, 'lab/nodes/worker-1/config.ign');
    const { atime, mtime, size } = statSync(file);
    writeFileSync(file, 'x'.repeat(size));
    utimesSync(file, atime, mtime);
    const rebuilt = build(project, out);
    expect(rebuilt.emit?.changed).toBe(true);
    expect(rebuilt.reusedNodes).toBe(2);
    expect(outputTree(join(out, 'lab'))).toEqual(expected);
  });

  it('restores a file whose manifest entry was edited to match it, since the record of what was written does not match', () => {
    const project = exampleProject();
    const out = join(tempDir(), 'out');
    build(project, out);
    const expected = outputTree(join(out, 'lab'));
    const file = join(out, 'lab/nodes/worker-2/meta-data');
    const original = readFileSync(file);
    const forged = Buffer.from('instance-id: someone-else\n');
    writeFileSync(file, forged);
    const manifestPath = join(out, 'lab/manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { artifacts: { path: string; size: number; sha256: string }[] };
    const entry = manifest.artifacts.find((a) => a.path === 'nodes/worker-2/meta-data')!;
    entry.size = forged.byteLength;
    entry.sha256 = createHash('sha256').update(forged).digest('hex');
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const rebuilt = build(project, out);
    expect(rebuilt.emit?.changed).toBe(true);
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(outputTree(join(out, 'lab'))).toEqual(expected);
  });

  it('builds every node again when its record is missing or unreadable, with the same output', () => {
    const project = exampleProject();
    const out = join(tempDir(), 'out');
    build(project, out);
    const expected = outputTree(join(out, 'lab'));
    writeFileSync(join(out, '.lab.state.json'), '{"version": 2, "files": {}, "nodes": {"cp-1": {"digest": 1}}');
    expect(build(project, out).reusedNodes).toBe(0);
    rmSync(join(out, '.lab.state.json'));
    expect(build(project, out).reusedNodes).toBe(0);
    expect(outputTree(join(out, 'lab'))).toEqual(expected);
    expect(build(project, out).reusedNodes).toBe(3);
  });

  it('builds every node again when another kindling made the output (the bundled command line, here), then reuses them', () => {
    const project = exampleProject();
    const out = join(tempDir(), 'out');
    const cli = spawnSync(process.execPath, [join(REPO, 'bin/kindling.js'), 'build', project, '--out', out], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(build(project, out).reusedNodes).toBe(0);
    expect(build(project, out).reusedNodes).toBe(3);
  });

  it('keeps its record private to the builder: the digests are made from secrets', () => {
    const project = exampleProject();
    const out = join(tempDir(), 'out');
    build(project, out);
    expect(statSync(join(out, '.lab.state.json')).mode & 0o777).toBe(0o600);
  });

  it('builds again a node whose definition moved to another line, since what it reports names the place', () => {
    const project = exampleProject();
    const { rebuilt, actual, expected } = rebuildAfter(project, () => edit(project, 'nodes/nodes.yaml', (text) => `# a comment line moves every node down\n${text}`));
    expect(actual).toEqual(expected);
    expect(rebuilt.reusedNodes).toBe(0);
  });
});
