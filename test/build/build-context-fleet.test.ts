import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { buildNode, type NodeBuild } from '../../src/build/build-node.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { BuildContext } from '../../src/build/build-context.ts';
import { exampleProject } from '../helpers/project.ts';
import { random } from '../helpers/random.ts';

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
  os: string;
  arch: string;
  ignition34: boolean;
  network: boolean;
  /** Indexes into FILES and UNITS of the node's role's file and unit (-1: none). */
  file: number;
  unit: number;
  /** A file of the node's own (its name in it). */
  own: boolean;
}

/** Roles carry the drawn files and units: entries of one role are the same on all its nodes, so those nodes share them. */
function roleName(d: Draw): string {
  return `r-${d.file < 0 ? 'n' : d.file}-${d.unit < 0 ? 'n' : d.unit}`;
}

function roleYaml(name: string, d: Draw): string {
  const file = FILES[d.file];
  const unit = UNITS[d.unit];
  return [
    'apiVersion: kindling/v1',
    'kind: Role',
    `name: ${name}`,
    ...(file ? ['files:', ...fileYaml(file)] : []),
    ...(unit ? ['units:', ...unitYaml(unit)] : []),
  ].join('\n');
}

function nodeYaml(i: number, d: Draw): string {
  return [
    'apiVersion: kindling/v1',
    'kind: Node',
    `name: g-${i}`,
    `role: ${roleName(d)}`,
    `os: ${d.os}`,
    `arch: ${d.arch}`,
    `ip: 10.3.${i >> 8}.${(i & 255) + 1}`,
    `macs: ['52:54:03:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}']`,
    ...(d.ignition34 && d.os !== 'cloud-init' ? ['ignition:', '  version: 3.4.0'] : []),
    ...(d.network ? ['network:', `  addresses: [10.3.${i >> 8}.${(i & 255) + 1}/24]`, `  gateway: 10.3.${i >> 8}.254`] : []),
    ...(d.own ? ['files:', ...fileYaml({ path: '/etc/kindling/own', mode: '0644', contents: `node ${i}` })] : []),
  ].join('\n');
}

/**
 * A fleet drawn with `seed`: `bases` random nodes, each twice (a group), and beside each a node
 * per dimension that differs from it in that dimension alone (the arch, the os, the Ignition
 * version, one field of a file or a unit, static network, a file of its own), so that any sharing
 * that ignores one of them hands some node its neighbour's entries.
 */
function generatedFleet(seed: number, bases: number): string {
  const next = random(seed);
  const index = (length: number) => Math.floor(next() * length);
  const otherIndex = (length: number, not: number) => (not + 1 + index(length - 1)) % length;
  const draws: Draw[] = [];
  for (let b = 0; b < bases; b++) {
    const base: Draw = {
      os: pick(next, ['flatcar', 'fcos', 'cloud-init']),
      arch: pick(next, ['amd64', 'arm64']),
      ignition34: next() < 0.3,
      network: next() < 0.3,
      file: next() < 0.8 ? index(FILES.length) : -1,
      unit: next() < 0.8 ? index(UNITS.length) : -1,
      own: next() < 0.2,
    };
    draws.push(
      base,
      { ...base },
      { ...base, arch: base.arch === 'amd64' ? 'arm64' : 'amd64' },
      { ...base, os: pick(next, ['flatcar', 'fcos', 'cloud-init'].filter((os) => os !== base.os)) },
      { ...base, ignition34: !base.ignition34, os: base.os === 'cloud-init' ? 'fcos' : base.os },
      { ...base, file: otherIndex(FILES.length, base.file) },
      { ...base, unit: otherIndex(UNITS.length, base.unit) },
      { ...base, network: !base.network },
      { ...base, own: !base.own },
    );
  }
  const roles = new Map(draws.map((d) => [roleName(d), roleYaml(roleName(d), d)]));
  return exampleProject({
    'roles/generated.yaml': [...roles.values()].join('\n---\n') + '\n',
    'nodes/generated.yaml': draws.map((d, i) => nodeYaml(i, d)).join('\n---\n') + '\n',
  });
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
      // Groups formed: each base's exact copy (the next node) got its plan from the base's group (the
      // very same lists), unless the base has a file of its own, which no other node shares.
      const byName = new Map(fleet.builds.map((b) => [b.node.name, b]));
      const pairs = Array.from({ length: 8 }, (_, b) => [byName.get(`g-${b * 9}`)!, byName.get(`g-${b * 9 + 1}`)!] as const);
      const groupable = pairs.filter(([base]) => !base.node.files.some((f) => f.path === '/etc/kindling/own'));
      expect(groupable.length).toBeGreaterThan(0);
      expect(groupable.filter(([base, copy]) => base.plan.directories !== copy.plan.directories).map(([base]) => base.node.name)).toEqual([]);
      fleet.builds.forEach((grouped, i) => {
        const alone = buildNode(project, nodes[i]!, new BuildContext());
        expect(alone.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect({ node: nodes[i]!.name, build: comparable(grouped) }).toEqual({ node: nodes[i]!.name, build: comparable(alone.build!) });
      });
    });
  }
});
