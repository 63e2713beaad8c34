import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadProject } from '../../src/build/load-project.ts';
import { clusterFiles, compileProject } from '../../src/build/build-project.ts';
import { desiredTree } from '../../src/emit/write-output.ts';
import { readTree } from '../../src/emit/output-tree.ts';
import { diffTrees, formatDiff } from '../../src/emit/diff.ts';
import { unifiedDiff } from '../../src/delivery/unified-diff.ts';
import { buildExample } from '../helpers/build-example.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const TOKEN = 'FAKE-example-token.not-a-real-credential.kindling-0000000000';

/** The tree a build of `dir` would write into `clusterDir` (the manifest's VM arguments name the folder). */
function treeOf(dir: string, clusterDir = '/srv/out/lab'): Map<string, Uint8Array> {
  const project = loadProject(dir, { env: {} }).project!;
  return desiredTree(clusterDir, project.cluster.name, compileProject(project).builds, clusterFiles(project));
}

function onDisk(clusterDir: string): Map<string, Uint8Array> {
  return new Map([...readTree(clusterDir)].map(([path, file]) => [path, file.data]));
}

describe('diffTrees', () => {
  it('finds nothing to change right after a build', () => {
    const dir = exampleProject();
    const built = buildExample(dir);
    expect(diffTrees(onDisk(built.clusterDir), treeOf(dir, built.clusterDir))).toEqual([]);
  });

  it('shows a changed setting per node and per file, decoded from Ignition data URLs, with the new token masked', () => {
    const dir = exampleProject();
    const built = buildExample(dir);
    writeFileSync(join(dir, 'cluster.yaml'), replaceOnce('vni: 1', 'vni: 7')(readFileSync(join(dir, 'cluster.yaml'), 'utf8')));
    writeFileSync(join(dir, 'secrets/flannel.token'), 'rotated-token-0123456789abcdef\n');
    const diffs = diffTrees(onDisk(built.clusterDir), treeOf(dir, built.clusterDir));
    expect(diffs.map((d) => [d.path, d.node, d.change])).toEqual([
      ['manifest.json', undefined, 'changed'],
      // The alert rules expect each node's flannel config digest, which the VNI is part of.
      ['monitoring/flannel-alerts.test.yml', undefined, 'changed'],
      ['monitoring/flannel-alerts.yml', undefined, 'changed'],
      ['nodes/cp-1/config.bu', 'cp-1', 'changed'],
      ['nodes/cp-1/config.ign', 'cp-1', 'changed'],
      ['nodes/cp-1/ignition.img', 'cp-1', 'changed'],
      ['nodes/worker-1/config.bu', 'worker-1', 'changed'],
      ['nodes/worker-1/config.ign', 'worker-1', 'changed'],
      ['nodes/worker-1/ignition.img', 'worker-1', 'changed'],
      ['nodes/worker-2/meta-data', 'worker-2', 'changed'],
      ['nodes/worker-2/seed.iso', 'worker-2', 'changed'],
      ['nodes/worker-2/user-data', 'worker-2', 'changed'],
    ]);
    const ign = diffs.find((d) => d.path === 'nodes/cp-1/config.ign')!;
    // net-conf.json lives in a data URL; the diff shows its decoded line.
    expect(ign.lines).toContain('-    "VNI": 1');
    expect(ign.lines).toContain('+    "VNI": 7');
    expect(ign.notes).toContain('data URLs decoded');
    const text = formatDiff(diffs, 'out/lab');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('rotated-token');
    expect(text).toMatch(/^node worker-2:\n {2}~ nodes\/worker-2\/meta-data \(changed\)\n {2}~ nodes\/worker-2\/seed\.iso \(changed, binary 77824 -> 77824 bytes\)\n {2}~ nodes\/worker-2\/user-data \(changed\)$/m);
    expect(text.trimEnd().split('\n').pop()).toBe('12 files would change (0 added, 12 changed, 0 removed) on 3 nodes');
  });

  it('reports a rotated token as a change of the files that carry it, without showing either token', () => {
    const dir = exampleProject();
    const built = buildExample(dir);
    writeFileSync(join(dir, 'secrets/flannel.token'), 'rotated-token-0123456789abcdef\n');
    const diffs = diffTrees(onDisk(built.clusterDir), treeOf(dir, built.clusterDir));
    const carriers = diffs.filter((d) => /config\.(bu|ign)$|user-data$/.test(d.path));
    expect(carriers.map((d) => [d.path, d.lines])).toEqual([
      ['nodes/cp-1/config.bu', []],
      ['nodes/cp-1/config.ign', []],
      ['nodes/worker-1/config.bu', []],
      ['nodes/worker-1/config.ign', []],
      ['nodes/worker-2/user-data', []],
    ]);
    const text = formatDiff(diffs, 'out/lab');
    expect(text).toContain('changed nodes/cp-1/config.ign: differs only in encoding, compression or masked secrets');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('rotated-token');
  });

  it('masks every token and client-key-data value, and the kubeconfig inside user-data and config.ign', () => {
    const next = treeOf(exampleProject());
    const withKey = new Map(next);
    withKey.set('nodes/worker-2/extra.yaml', bytes('users:\n  - name: x\n    user:\n      client-key-data: S0VZS0VZ\n      token: abc\n{"token": "def", "client-key-data": "ghi"}\n'));
    const diffs = diffTrees(new Map(), withKey);
    const text = formatDiff(diffs, 'out/lab');
    for (const secret of [TOKEN, 'S0VZS0VZ', 'abc', '"def"', '"ghi"']) expect(text).not.toContain(secret);
    expect(text).toContain('+      client-key-data: <secret>');
    expect(text).toContain('+{"token": "<secret>", "client-key-data": "<secret>"}');
    const userData = diffs.find((d) => d.path === 'nodes/worker-2/user-data')!;
    expect(userData.lines.join('\n')).toMatch(/path: \/etc\/kubernetes\/flanneld\.kubeconfig\n\+ {4}owner: root:root\n\+ {4}permissions: '0600'\n\+ {4}content: <secret>/);
    const ign = diffs.find((d) => d.path === 'nodes/cp-1/config.ign')!;
    expect(ign.lines).toContain('+==> /etc/kubernetes/flanneld.kubeconfig (contents, gzip)');
    expect(ign.lines[ign.lines.indexOf('+==> /etc/kubernetes/flanneld.kubeconfig (contents, gzip)') + 1]).toBe('+<secret>');
  });

  it('decodes gzip payloads and base64 write_files contents before comparing', () => {
    const before = '#cloud-config\nwrite_files:\n  - path: /etc/a\n    encoding: b64\n    content: ' + Buffer.from('alpha\nbeta\n').toString('base64') + '\n';
    const after = '#cloud-config\nwrite_files:\n  - path: /etc/a\n    encoding: gz+b64\n    content: ' + gzipSync(Buffer.from('alpha\ngamma\n')).toString('base64') + '\n';
    const [diff] = diffTrees(new Map([['nodes/n/user-data', bytes(before)]]), new Map([['nodes/n/user-data', new Uint8Array(gzipSync(Buffer.from(after)))]]));
    expect(diff!.notes).toEqual(['write_files contents decoded', 'gzip decoded']);
    expect(diff!.lines).toEqual(['@@ -1,7 +1,7 @@', ' #cloud-config', ' write_files:', '   - path: /etc/a', '-    encoding: b64 (decoded)', '+    encoding: gz+b64 (decoded)', '     content: |', '       alpha', '-      beta', '+      gamma']);
  });

  it('reports binary artifacts, added and removed files by size without their contents', () => {
    const iso = new Uint8Array([0, 1, 2, 3, 0, 5]);
    const diffs = diffTrees(new Map([['nodes/a/seed.iso', iso], ['pxe/old.ipxe', bytes('#!ipxe\n')]]), new Map([['nodes/a/seed.iso', new Uint8Array([0, 1, 2])], ['pxe/new.ipxe', bytes('#!ipxe\nboot\n')]]));
    expect(diffs.map((d) => [d.path, d.change, d.binary, d.lines])).toEqual([
      ['nodes/a/seed.iso', 'changed', true, []],
      ['pxe/new.ipxe', 'added', false, ['@@ -0,0 +1,2 @@', '+#!ipxe', '+boot']],
      ['pxe/old.ipxe', 'removed', false, ['@@ -1,1 +0,0 @@', '-#!ipxe']],
    ]);
    expect(formatDiff(diffs, 'out/lab')).toContain('~ nodes/a/seed.iso (changed, binary 6 -> 3 bytes)');
  });
});

describe('unifiedDiff', () => {
  it('writes minimal hunks that GNU patch applies to turn the old text into the new', () => {
    const dir = tempDir();
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 40; round++) {
      const before = Array.from({ length: 5 + Math.floor(random() * 60) }, () => `line ${Math.floor(random() * 12)}`);
      const after = before.flatMap((line) => (random() < 0.15 ? [] : random() < 0.15 ? [line, `new ${Math.floor(random() * 5)}`] : random() < 0.1 ? [`changed ${line}`] : [line]));
      const a = `${before.join('\n')}\n`;
      const b = `${after.join('\n')}\n`;
      const hunks = unifiedDiff(a, b);
      writeFileSync(join(dir, 'file'), a);
      writeFileSync(join(dir, 'p.diff'), `--- a/file\n+++ b/file\n${hunks.join('\n')}\n`);
      if (a === b) {
        expect(hunks).toEqual([]);
        continue;
      }
      const patched = spawnSync('patch', ['--quiet', '--fuzz=0', '-p1', '-d', dir, '-i', join(dir, 'p.diff')], { encoding: 'utf8' });
      expect(patched.status, `${patched.stdout}${patched.stderr}\n${hunks.join('\n')}`).toBe(0);
      expect(readFileSync(join(dir, 'file'), 'utf8')).toBe(b);
      // Minimal: exactly as many removed and added lines as GNU diff --minimal finds.
      writeFileSync(join(dir, 'a'), a);
      writeFileSync(join(dir, 'b'), b);
      const gnu = spawnSync('diff', ['-u', '--minimal', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' }).stdout.split('\n').slice(2);
      const changed = (lines: string[]): number => lines.filter((l) => /^[-+]/.test(l)).length;
      expect(changed(hunks)).toBe(changed(gnu));
    }
  });
});
