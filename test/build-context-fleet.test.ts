import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/load-project.ts';
import { buildNode, type NodeBuild } from '../src/build-node.ts';
import { compileProject } from '../src/build-project.ts';
import { BuildContext } from '../src/build-context.ts';
import { exampleProject } from './helpers/project.ts';
import { random } from './helpers/random.ts';

/**
 * The sharing a build does between its nodes (plan groups, interned entries, remembered YAML,
 * translations and checks, all in one BuildContext) must never change what a node gets. On
 * generated fleets whose nodes draw from small pools of settings (so that many nodes share
 * entries, and many differ from a neighbour in one field only), every node's plan and output
 * must equal what the node gets when built alone with a fresh context.
 */

/** Entries that differ from one another in one field at a time: path, mode, owner, group, contents. */
const FILES = [
  { path: '/etc/kindling/a', mode: '0644', contents: 'alpha' },
  { path: '/etc/kindling/a', mode: '0600', contents: 'alpha' },
  { path: '/etc/kindling/a', mode: '0644', contents: 'beta' },
  { path: '/etc/kindling/a', mode: '0644', contents: 'alpha', owner: 'core' },
  { path: '/etc/kindling/a', mode: '0644', contents: 'alpha', group: 'core' },
  { path: '/etc/kindling/b', mode: '0644', contents: 'alpha' },
  { path: '/etc/kindling/long', mode: '0644', contents: 'x'.repeat(200) },
  { path: '/etc/kindling/long', mode: '0644', contents: `${'x'.repeat(199)}y` },
];

const UNITS = [
  { name: 'fleet-a.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n' },
  { name: 'fleet-a.service', enabled: false, contents: '[Service]\nExecStart=/bin/true\n' },
  { name: 'fleet-a.service', enabled: true, contents: '[Service]\nExecStart=/bin/false\n' },
  { name: 'fleet-a.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n', dropins: [{ name: '10-a.conf', contents: '[Service]\nNice=1\n' }] },
  { name: 'fleet-a.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n', dropins: [{ name: '10-a.conf', contents: '[Service]\nNice=2\n' }] },
  { name: 'fleet-m.service', mask: true },
  { name: 'flanneld.service', dropins: [{ name: '20-fleet.conf', contents: '[Service]\nEnvironment=FLEET=1\n' }] },
];

function fileYaml(file: (typeof FILES)[number]): string[] {
  return [
    `  - path: ${file.path}`,
    `    mode: ${file.mode}`,
    ...(file.owner ? [`    owner: ${file.owner}`] : []),
    ...(file.group ? [`    group: ${file.group}`] : []),
    '    contents:',
    `      inline: ${JSON.stringify(file.contents)}`,
  ];
}

function unitYaml(unit: (typeof UNITS)[number]): string[] {
  return [
    `  - name: ${unit.name}`,
    ...('enabled' in unit ? [`    enabled: ${unit.enabled}`] : []),
    ...('mask' in unit ? [`    mask: ${unit.mask}`] : []),
    ...('contents' in unit ? [`    contents: ${JSON.stringify(unit.contents)}`] : []),
    ...('dropins' in unit && unit.dropins ? ['    dropins:', ...unit.dropins.flatMap((d) => [`      - name: ${d.name}`, `        contents: ${JSON.stringify(d.contents)}`])] : []),
  ];
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

interface Draw {
  role: string;
  os: string;
  arch: string;
  ignition34: boolean;
  network: boolean;
  file?: (typeof FILES)[number];
  unit?: (typeof UNITS)[number];
  own: boolean;
}

function nodeYaml(i: number, d: Draw): string {
  const files = [...(d.file ? [d.file] : []), ...(d.own ? [{ path: '/etc/kindling/own', mode: '0644', contents: `node ${i}` }] : [])];
  return [
    'apiVersion: kindling/v1',
    'kind: Node',
    `name: g-${i}`,
    `role: ${d.role}`,
    `os: ${d.os}`,
    `arch: ${d.arch}`,
    `ip: 10.3.${i >> 8}.${(i & 255) + 1}`,
    `macs: ['52:54:03:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}']`,
    ...(d.ignition34 && d.os !== 'cloud-init' ? ['ignition:', '  version: 3.4.0'] : []),
    ...(d.network ? ['network:', `  addresses: [10.3.${i >> 8}.${(i & 255) + 1}/24]`, `  gateway: 10.3.${i >> 8}.254`] : []),
    ...(files.length ? ['files:', ...files.flatMap(fileYaml)] : []),
    ...(d.unit ? ['units:', ...unitYaml(d.unit)] : []),
  ].join('\n');
}

/**
 * A fleet drawn with `seed`: `bases` random nodes, each twice (a group), and beside each a node
 * per dimension that differs from it in that dimension alone (the arch, the os, one field of a
 * file or a unit, static network, a file of its own), so that any sharing that ignores one of
 * them hands some node its neighbour's entries.
 */
function generatedFleet(seed: number, bases: number): string {
  const next = random(seed);
  const other = <T>(list: readonly T[], not: T | undefined): T => {
    const rest = list.filter((x) => x !== not);
    return pick(next, rest);
  };
  const draws: Draw[] = [];
  for (let b = 0; b < bases; b++) {
    const base: Draw = {
      role: pick(next, ['worker', 'control-plane']),
      os: pick(next, ['flatcar', 'fcos', 'cloud-init']),
      arch: pick(next, ['amd64', 'arm64']),
      ignition34: next() < 0.3,
      network: next() < 0.3,
      ...(next() < 0.7 ? { file: pick(next, FILES) } : {}),
      ...(next() < 0.7 ? { unit: pick(next, UNITS) } : {}),
      own: next() < 0.2,
    };
    draws.push(
      base,
      { ...base },
      { ...base, arch: base.arch === 'amd64' ? 'arm64' : 'amd64' },
      { ...base, os: other(['flatcar', 'fcos', 'cloud-init'], base.os) },
      { ...base, file: other(FILES, base.file) },
      { ...base, unit: other(UNITS, base.unit) },
      { ...base, network: !base.network },
      { ...base, own: !base.own },
    );
  }
  const docs = draws.map((d, i) => nodeYaml(i, d));
  return exampleProject({ 'nodes/generated.yaml': docs.join('\n---\n') + '\n' });
}

/** What a node's build holds that the output depends on: the plan and every artifact's bytes. */
function comparable(build: NodeBuild): unknown {
  return {
    plan: build.plan,
    artifacts: build.artifacts.map((a) => ({ name: a.name, path: a.path, kind: a.kind, secret: a.secret, data: typeof a.data === 'string' ? a.data : Buffer.from(a.data).toString('base64') })),
    delivery: build.delivery,
  };
}

describe('a build context shared by the nodes of a fleet', () => {
  for (const seed of [1, 7, 42]) {
    it(`gives every node of generated fleet ${seed} the plan and output it gets when built alone with a fresh context`, () => {
      const loaded = loadProject(generatedFleet(seed, 8), { env: {} });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const project = loaded.project!;
      const fleet = compileProject(project, new BuildContext());
      expect(fleet.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(fleet.builds.map((b) => b.node.name)).toEqual(project.nodes.map((n) => n.name));
      // The draw covers what it claims to vary.
      const nodes = project.nodes;
      expect(new Set(nodes.map((n) => `${n.os}/${n.arch}`)).size).toBe(6);
      expect(nodes.some((n) => n.network !== undefined)).toBe(true);
      fleet.builds.forEach((grouped, i) => {
        const alone = buildNode(project, nodes[i]!, new BuildContext());
        expect(alone.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect({ node: nodes[i]!.name, build: comparable(grouped) }).toEqual({ node: nodes[i]!.name, build: comparable(alone.build!) });
      });
    });
  }
});
