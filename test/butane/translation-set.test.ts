/**
 * The TranslationSet covers the output, as butane's translate/set.go and its tests hold it to:
 * every leaf of the generated Ignition JSON maps back to a value that exists in the Butane input,
 * so a problem Ignition finds there is shown at the line that caused it. A translation that
 * makes a value under another name and forgets to record where it came from fails here.
 *
 * Generated sources: an entry the translator makes from one input value as a whole (a mount
 * unit from a filesystem's `with_mount_unit`, a file or link from a `storage.trees` entry, the
 * disks, partitions, RAID and LUKS of `boot_device`, the grub.cfg of `grub`) maps to that value;
 * what lies below it has no input of its own.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translateButane } from '../../src/butane/index.ts';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readYaml, type YNode } from '../../src/butane/yaml-tree.ts';
import type { ReportPath } from '../../src/butane/report.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/butane');
const GOLDEN = join(import.meta.dirname, '../golden/lab/nodes');
const files = createFsReader(join(FIXTURES, 'filesdir'), readBoundedFile);

/** The input values that generate whole output entries (see above). */
const GENERATED_SOURCES = [
  /^storage\.filesystems\.\d+\.with_mount_unit$/,
  /^storage\.trees\.\d+$/,
  /^boot_device(\.luks|\.mirror(\.devices\.\d+)?)?$/,
  /^grub$/,
];

function exists(root: YNode, path: ReportPath): boolean {
  let node: YNode | undefined = root;
  for (const seg of path) {
    if (node?.kind === 'map' && typeof seg === 'string') node = node.entries.find((e) => e.key === seg)?.value;
    else if (node?.kind === 'seq' && typeof seg === 'number') node = node.items[seg];
    else return false;
    if (node === undefined) return false;
  }
  return true;
}

/** Paths of the leaves of a JSON value: scalars, empty lists and empty objects. */
function leaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [at] : entries.flatMap(([k, v]) => leaves(v, [...at, k]));
  }
  return [at];
}

/** The leaves of a translation's output that map to no input value, as "output -> input". */
function unmapped(source: string): string[] {
  const result = translateButane(source, { files });
  expect(result.ok, result.fatal).toBe(true);
  const read = readYaml(source);
  if (!read.ok) throw new Error(read.said.message);
  const set = result.translations!;
  return leaves(result.config).flatMap((out) => {
    const input = set.toInput(out);
    if (exists(read.root, input)) return [];
    const recorded = set.recordedFor(out);
    if (recorded !== undefined && exists(read.root, recorded.input) && GENERATED_SOURCES.some((g) => g.test(recorded.input.join('.')))) return [];
    return [`${out.join('.')} -> ${input.join('.')}`];
  });
}

const translatedFixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.bu') && readdirSync(FIXTURES).includes(name.replace(/\.bu$/, '.ign')))
  .sort();

describe('the translation set', () => {
  it('maps every output leaf of every translated Butane fixture to its input', () => {
    expect(translatedFixtures.length).toBeGreaterThan(20);
    const found = translatedFixtures.flatMap((name) => unmapped(readFileSync(join(FIXTURES, name), 'utf8')).map((u) => `${name}: ${u}`));
    expect(found).toEqual([]);
  });

  it('maps every output leaf of the configs kindling generates for the example', () => {
    const nodes = readdirSync(GOLDEN).filter((node) => readdirSync(join(GOLDEN, node)).includes('config.bu'));
    expect(nodes.length).toBeGreaterThan(1);
    const found = nodes.flatMap((node) => unmapped(readFileSync(join(GOLDEN, node, 'config.bu'), 'utf8')).map((u) => `${node}: ${u}`));
    expect(found).toEqual([]);
  });

  it('maps the sugar: local contents, local SSH keys, trees, mount units', () => {
    const source = [
      'variant: fcos',
      'version: 1.5.0',
      'passwd:',
      '  users:',
      '    - name: core',
      '      ssh_authorized_keys: [ssh-ed25519 AAAA inline]',
      '      ssh_authorized_keys_local: [keys/core.pub]',
      'storage:',
      '  files:',
      '    - path: /etc/a',
      '      contents: {local: binary.bin}',
      '    - path: /etc/b',
      '      append: [{inline: b, compression: gzip}]',
      '  trees:',
      '    - local: tree',
      '      path: /srv',
      '  filesystems:',
      '    - device: /dev/vdb',
      '      format: ext4',
      '      path: /var/data',
      '      with_mount_unit: true',
      'systemd:',
      '  units:',
      '    - name: a.service',
      '      contents_local: units/local.service',
      '      dropins: [{name: x.conf, contents_local: units/10-env.conf}]',
      '',
    ].join('\n');
    expect(unmapped(source)).toEqual([]);
  });
});
