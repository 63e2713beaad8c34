import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/load-project.ts';
import { planNode } from '../../src/plan/plan-node.ts';
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
      `macs: ['52:54:02:00:00:${i.toString(16).padStart(2, '0')}']`,
    ].join('\n'),
  );
  return exampleProject({
    'nodes/varied.yaml': docs.join('\n---\n') + '\n',
    // A role drop-in on flanneld.service: merged into the per-node unit of every worker.
    'roles/worker.yaml': (text) => `${text}  - name: flanneld.service\n    dropins:\n      - name: 20-verbose.conf\n        contents: |\n          [Service]\n          Environment=FLANNELD_V=2\n`,
  });
}

describe('planNode for nodes of one group', () => {
  const loaded = loadProject(variedProject(), { env: {} });
  const project = loaded.project!;

  it('gives every node the plan it gets when planned alone, per-node entries made from its own facts', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(project.nodes.length).toBeGreaterThan(48);
    const grouped = project.nodes.map((node) => planNode(project, node).plan!);
    project.nodes.forEach((node, i) => {
      // A copy of the project has tables of its own: the node is the first (and only) of its group there.
      const alone = planNode({ ...project }, node).plan!;
      expect({ node: node.name, plan: grouped[i] }).toEqual({ node: node.name, plan: alone });
    });
    const flanneld = (plan: NodePlan) => plan.units.find((u) => u.name === 'flanneld.service')!;
    const worker = grouped.find((p) => p.node.name === 'n-1')!;
    expect(flanneld(worker).contents).toContain('NODE_NAME=n-1');
    expect(flanneld(worker).contents).toContain('--public-ip=10.2.0.2');
    expect(flanneld(worker).dropins.map((d) => d.name)).toEqual(['20-verbose.conf']);
  });

  it('shares the entries of nodes that differ only in their own facts, and makes the per-node ones anew', () => {
    const a = planNode(project, project.nodes.find((n) => n.name === 'n-7')!).plan!;
    const b = planNode(project, project.nodes.find((n) => n.name === 'n-10')!).plan!; // same role, os and settings; no ip
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
