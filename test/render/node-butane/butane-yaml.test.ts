import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dumpYaml } from '../../../src/render/dump-yaml.ts';
import { butaneDocument, butaneText } from '../../../src/render/node-butane/butane-config.ts';
import { butaneYaml } from '../../../src/render/node-butane/butane-yaml.ts';
import type { NodePlan, PlannedFile, PlannedUnit, PlannedUser } from '../../../src/plan/node-plan.ts';
import { BuildContext } from '../../../src/build/build-context.ts';
import { random } from '../../helpers/random.ts';

/**
 * config.bu's emitter against two references, on generated node plans whose strings hold every
 * character and word that changes how YAML reads a scalar: the text must read back (YAML 1.2 core,
 * as the `yaml` package reads it) as the document it was made from, and must be, byte for byte,
 * what js-yaml writes for that document (the way config.bu was written before the emitter).
 */

const ATOMS = [
  'a', 'core', '/etc/x', 'ssh-ed25519 AAAA', 'x=1', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>',
  "'", '"', '%', '@', '`', '~', '=', '<<', '\\', ' ', '  ', '\t', '\r', '\u2028', '\u2029', '\u0085', '\u00a0', '\ufeff',
  '\u0000', '\u007f', '\u001b', 'é', '日本', '😀', 'true', 'True', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'null', 'Null',
  '0644', '1e3', '-1', '+.5', '.inf', '.NaN', '0x1F', '0o17', '12:30:00', '2001-12-14', '---', '...', 'a: b', ' #c',
  '*alias', '&anchor', '!tag', '- item', '? key', '%YAML', '@x', 'inf', 'nan', 'Y2K',
];

function generator(seed: number) {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const line = (): string => {
    if (next() < 0.03) return pick(ATOMS).repeat(500 + int(3000)); // a very long line
    let text = '';
    for (let i = int(6); i >= 0; i--) text += pick(ATOMS);
    return next() < 0.2 ? pick([' ', '  ', '\t']) + text : next() < 0.2 ? text + pick([' ', '\t']) : text;
  };
  const string = (): string => {
    const shape = int(10);
    if (shape === 0) return '';
    if (shape < 4) return line();
    const lines = Array.from({ length: 1 + int(6) }, () => (next() < 0.2 ? '' : line()));
    return (next() < 0.2 ? '\n' : '') + lines.join('\n') + pick(['', '\n', '\n\n', '\n\n\n']);
  };
  const name = (): string => (next() < 0.5 ? pick(['core', 'root', 'kube', 'etcd']) : string());
  const contents = (): PlannedFile['contents'] => {
    const kind = int(6);
    if (kind === 0) return { kind: 'bytes', data: new Uint8Array(Array.from({ length: int(40) }, () => int(256))) };
    if (kind === 1) {
      return { kind: 'remote', download: { url: `https://example.com/${line()}`, ...(next() < 0.5 ? { sha512: 'ab'.repeat(64) } : {}) } } as PlannedFile['contents'];
    }
    return { kind: 'inline', text: string() };
  };
  const file = (i: number): PlannedFile => ({
    path: `/etc/f${i}${next() < 0.3 ? line() : ''}`,
    mode: pick([0o644, 0o600, 0o755, 0o700, 0o4755, 0o1777, 0o7777, 0, 0o7]),
    owner: next() < 0.6 ? 'root' : name(),
    group: next() < 0.6 ? 'root' : name(),
    contents: contents(),
    ...(next() < 0.3 ? { overwrite: true } : {}),
    source: 'profile',
  });
  const unit = (): PlannedUnit => ({
    name: next() < 0.7 ? pick(['kubelet.service', 'flanneld.service', 'x.timer']) : string(),
    ...(next() < 0.6 ? { contents: string() } : {}),
    ...(next() < 0.5 ? { enabled: next() < 0.5 } : {}),
    ...(next() < 0.2 ? { mask: next() < 0.5 } : {}),
    dropins: Array.from({ length: int(3) }, () => ({ name: next() < 0.5 ? '10-x.conf' : string(), contents: string() })),
    needs: [],
    source: 'profile',
    ...(next() < 0.3 ? { perNode: true } : {}),
  });
  const user = (): PlannedUser => ({
    name: name(),
    sshAuthorizedKeys: Array.from({ length: int(3) }, line),
    groups: Array.from({ length: int(3) }, name),
    ...(next() < 0.3 ? { shell: string() } : {}),
  });
  return (): NodePlan => {
    const v34 = next() < 0.5;
    return {
      node: { name: `node-${int(1000)}`, os: pick(['flatcar', 'fcos']), ignitionVersion: v34 ? '3.4.0' : '3.3.0' },
      cluster: { name: 'lab' },
      binDir: '/opt/bin',
      files: Array.from({ length: int(6) }, (_, i) => file(i)),
      directories: Array.from({ length: int(3) }, () => ({ path: next() < 0.7 ? '/opt/cni' : line(), mode: pick([0o755, 0o700, 0o2775]), source: 'cni' as const })),
      links: Array.from({ length: int(3) }, () => ({ path: `/opt/bin/${line()}`, target: line(), source: 'profile' as const })),
      units: Array.from({ length: int(5) }, unit),
      users: Array.from({ length: int(3) }, user),
    } as unknown as NodePlan;
  };
}

/** The document as YAML 1.2 core reads config.bu: a mode's octal digits (`0644`) read as the decimal 644. */
function asRead(document: unknown): unknown {
  return JSON.parse(JSON.stringify(document), (key, value: unknown) =>
    key === 'mode' && typeof value === 'number' ? Number(value.toString(8)) : value,
  );
}

/**
 * The reference: js-yaml's dump of the whole document, modes written as octal digits, without the
 * `...` js-yaml adds after a last scalar that keeps trailing blank lines (config.bu is one document).
 */
function jsYamlText(document: Record<string, unknown>): string {
  const marked = JSON.parse(JSON.stringify(document), (key, value: unknown) =>
    key === 'mode' && typeof value === 'number' ? `OCTAL${value.toString(8).padStart(4, '0')}` : value,
  ) as unknown;
  return dumpYaml(marked, { lineWidth: -1, noRefs: true }).replace(/^( *(?:- )?mode: )OCTAL([0-7]{4})$/gm, '$1$2').replace(/\n\.\.\.\n$/, '\n');
}

describe('butaneYaml', () => {
  const plans = generator(0x5eed);
  const context = new BuildContext();
  const cases = Array.from({ length: 400 }, () => {
    const plan = plans();
    const document = butaneDocument(plan, context);
    return { plan, document, text: butaneYaml(document, context) };
  });

  it('writes text that YAML 1.2 reads back as the document, for generated node plans', () => {
    for (const { document, text } of cases) expect(parse(text, { version: '1.2', schema: 'core' })).toEqual(asRead(document));
  });

  it('writes, byte for byte, what js-yaml writes for the same document', () => {
    for (const { document, text } of cases) expect(text).toBe(jsYamlText(document));
  });

  it('writes the same text for a shared item the second time (from the build context) as the first', () => {
    for (const { plan, text } of cases.slice(0, 50)) expect(butaneYaml(butaneDocument(plan, context), context)).toBe(text);
  });

  it('writes the same text in a fresh build context as inside the fleet', () => {
    for (const { plan, text } of cases.slice(0, 50)) {
      const alone = new BuildContext();
      expect(butaneYaml(butaneDocument(plan, alone), alone)).toBe(text);
    }
  });

  it('covers the generated shapes it claims to (quoted, block, long and empty strings, every section)', () => {
    const all = cases.map((c) => c.text).join('\n');
    for (const mark of [": '", ': "', ': |', ': |-', ': |+', ": ''", '- "', "- '", 'mode: 4755', 'mode: 0000', 'user:\n', 'group:\n', 'verification:', 'dropins:', 'links:', 'directories:', 'shell:', 'mask:', 'overwrite: true']) {
      expect(all).toContain(mark);
    }
    expect(all.split('\n').some((l) => l.length > 2000)).toBe(true);
  });

  it('starts config.bu with a header naming the node and its cluster', () => {
    const { plan, document, text } = cases[0]!;
    expect(butaneText(plan, document, context)).toBe(
      `# Generated by kindling for node ${plan.node.name} of cluster lab.\n# Do not edit: change the profiles and run \`kindling build\` again.\n${text}`,
    );
  });

  it('keeps contents that js-yaml writes as a keep-chomped block inside the document, with no `...` after them', () => {
    const document = { systemd: { units: [{ name: 'a.service', contents: 'Description=é\n\n' }, { name: 'b.service' }] } };
    expect(butaneYaml(document)).toBe('systemd:\n  units:\n    - name: a.service\n      contents: |+\n        Description=é\n\n    - name: b.service\n');
  });
});
