import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/build/load-project.ts';
import { planNode } from '../../src/plan/plan-node.ts';
import { BuildContext } from '../../src/build/build-context.ts';
import type { NodePlan } from '../../src/plan/node-plan.ts';
import { exampleProject } from '../helpers/project.ts';

/** Nodes that vary in everything a node can set, several of each kind so that groups form. */
function variedProject(): string {
  const oses = ['cloud-init', 'flatcar', 'fcos'];
  const docs = Array.from({ length: 48 }, (_, i) =>
    [
      'apiVersion: kindling/v1',
      'kind: Node',
      `name: n-${i}`,
      `role: ${i % 4 === 0 ? 'control-plane' : 'worker'}`,
      `os: ${oses[i % 3]}`,
      ...(i % 5 === 0 ? [] : [`ip: 10.2.0.${i + 1}`]),
      ...(i % 6 === 1 ? [`ipv6: fd00::${i + 1}`] : []),
      ...(i % 7 === 2 ? ['interface: ens4'] : []),
      ...(i % 8 === 3 ? ['flannel:', '  extraArgs: [--v=2]'] : []),
      ...(i % 9 === 4 ? ['ignition:', '  version: 3.4.0'] : []),
      ...(i % 10 === 5 ? ['files:', '  - path: /etc/kindling/own', '    contents:', `      inline: node ${i}`] : []),
      // A long text (the key then counts texts by number): the same on these nodes, so they still group.
      ...(i % 11 === 6 ? ['files:', '  - path: /etc/kindling/long', '    contents:', `      inline: ${'x'.repeat(5000)}`] : []),
      // Binary files (not UTF-8): two different ones, each on several nodes.
      ...(i % 13 === 8 ? ['files:', '  - path: /var/lib/kindling/blob', '    contents:', `      local: ../blobs/b${(i >> 4) % 2}.bin`] : []),
      `macs: ['52:54:02:00:00:${i.toString(16).padStart(2, '0')}']`,
    ].join('\n'),
  );
  const dir = exampleProject({
    'nodes/varied.yaml': docs.join('\n---\n') + '\n',
    // A role drop-in on flanneld.service: merged into the per-node unit of every worker.
    'roles/worker.yaml': (text) => `${text}  - name: flanneld.service\n    dropins:\n      - name: 20-verbose.conf\n        contents: |\n          [Service]\n          Environment=FLANNELD_V=2\n`,
  });
  mkdirSync(join(dir, 'blobs'));
  writeFileSync(join(dir, 'blobs/b0.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x30]));
  writeFileSync(join(dir, 'blobs/b1.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x31]));
  return dir;
}

describe('planNode for nodes of one group', () => {
  const loaded = loadProject(variedProject(), { env: {} });
  const project = loaded.project!;

  it('gives every node the plan it gets when planned alone, per-node entries made from its own facts', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(project.nodes.length).toBeGreaterThan(48);
    const context = new BuildContext();
    const grouped = project.nodes.map((node) => planNode(project, node, context).plan!);
    project.nodes.forEach((node, i) => {
      // A fresh context has tables of its own: the node is the first (and only) of its group there.
      const alone = planNode(project, node, new BuildContext()).plan!;
      expect({ node: node.name, plan: grouped[i] }).toEqual({ node: node.name, plan: alone });
    });
    const flanneld = (plan: NodePlan) => plan.units.find((u) => u.name === 'flanneld.service')!;
    const worker = grouped.find((p) => p.node.name === 'n-1')!;
    expect(flanneld(worker).contents).toContain('NODE_NAME=n-1');
    expect(flanneld(worker).contents).toContain('--public-ip=10.2.0.2');
    expect(flanneld(worker).dropins.map((d) => d.name)).toEqual(['20-verbose.conf']);
    const blob = (name: string) => grouped.find((p) => p.node.name === name)!.files.find((f) => f.path === '/var/lib/kindling/blob')!.contents;
    expect(blob('n-8')).toEqual({ kind: 'bytes', data: new Uint8Array([0xff, 0xfe, 0x00, 0x30]) });
    expect(blob('n-21')).toEqual({ kind: 'bytes', data: new Uint8Array([0xff, 0xfe, 0x00, 0x31]) });
  });

  it('shares the entries of nodes that differ only in their own facts, and makes the per-node ones anew', () => {
    const context = new BuildContext();
    const a = planNode(project, project.nodes.find((n) => n.name === 'n-7')!, context).plan!;
    const b = planNode(project, project.nodes.find((n) => n.name === 'n-10')!, context).plan!; // same role, os and settings; no ip
    expect(b.directories).toBe(a.directories);
    const shared = a.files.filter((f) => !f.perNode);
    expect(shared.length).toBeGreaterThan(3);
    for (const file of shared) expect(b.files).toContain(file);
    const hostname = (plan: NodePlan) => plan.files.find((f) => f.path === '/etc/hostname')!;
    expect(hostname(a).contents).toEqual({ kind: 'inline', text: 'n-7\n' });
    expect(hostname(b).contents).toEqual({ kind: 'inline', text: 'n-10\n' });
    expect(b.node.name).toBe('n-10');
  });
});

describe('planNode for nodes that differ only in a binary file', () => {
  it('gives each node its own bytes', () => {
    const node = (name: string, blob: string) =>
      ['apiVersion: kindling/v1', 'kind: Node', `name: ${name}`, 'role: worker', 'os: fcos', 'files:', '  - path: /var/lib/kindling/blob', '    contents:', `      local: ../blobs/${blob}`].join('\n');
    const dir = exampleProject({ 'nodes/blobs.yaml': `${node('blob-a', 'a.bin')}\n---\n${node('blob-b', 'b.bin')}\n` });
    mkdirSync(join(dir, 'blobs'));
    writeFileSync(join(dir, 'blobs/a.bin'), Buffer.from([0xff, 0x00, 0x61]));
    writeFileSync(join(dir, 'blobs/b.bin'), Buffer.from([0xff, 0x00, 0x62]));
    const project = loadProject(dir, { env: {} }).project!;
    const context = new BuildContext();
    const blob = (name: string) => planNode(project, project.nodes.find((n) => n.name === name)!, context).plan!.files.find((f) => f.path === '/var/lib/kindling/blob')!.contents;
    expect(blob('blob-a')).toEqual({ kind: 'bytes', data: new Uint8Array([0xff, 0x00, 0x61]) });
    expect(blob('blob-b')).toEqual({ kind: 'bytes', data: new Uint8Array([0xff, 0x00, 0x62]) });
  });
});
