/**
 * Bad delivery input, one small edit of the example each: the exact diagnostics (code, file, line,
 * column) for MACs, script-breaking URLs, asset names and kernel arguments, static network values,
 * and a node whose payload is over its platform's budget.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadProject } from '../../src/build/load-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { checkBudget } from '../../src/delivery/size-budget.ts';
import { createHash } from 'node:crypto';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

/** Text gzip cannot shrink much (Ignition data URLs are gzipped when that is smaller). */
function incompressible(bytes: number): string {
  let out = '';
  let h = 'seed';
  while (out.length < bytes) out += h = createHash('sha256').update(h).digest('hex');
  return out.slice(0, bytes);
}

const C = 'cluster.yaml';
const N = 'nodes/nodes.yaml';
const append = (extra: string) => (text: string) => `${text}\n${extra}`;

const cases: { name: string; edits: Record<string, (text: string) => string>; errors: { code: string; file: string; line: number; column: number }[] }[] = [
  { name: 'rejects a MAC given twice for one node, in another spelling', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:22, 52-54-00-00-00-22]') }, errors: [{ code: 'node/duplicate-mac', file: N, line: 27, column: 27 }] },
  { name: 'rejects a MAC shared by two nodes', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:00:11]') }, errors: [{ code: 'node/duplicate-mac', file: N, line: 27, column: 8 }] },
  { name: 'rejects a malformed MAC', edits: { [N]: replaceOnce('macs: [52:54:00:00:00:22]', 'macs: [52:54:00:00:0g:22]') }, errors: [{ code: 'node/invalid-mac', file: N, line: 27, column: 8 }] },
  { name: 'rejects a config URL with a space', edits: { [C]: append("delivery:\n  publishURL: 'http://10.0.0.1/out/a b/'\n") }, errors: [{ code: 'url/unsafe', file: C, line: 45, column: 15 }] },
  {
    name: 'rejects boot assets that would break a script: a $ in the base URL, a .. in a name, a quote in a kernel argument',
    edits: { [C]: append('delivery:\n  publishURL: http://10.0.0.1/out/\n  bootAssets:\n    baseURL: http://10.0.0.1/$arch/\n    fcos: { rootfs: fcos/../rootfs.img, kernelArgs: [console=ttyS0, "a\'b"] }\n') },
    errors: [
      { code: 'url/unsafe', file: C, line: 47, column: 14 },
      { code: 'url/invalid', file: C, line: 48, column: 21 },
      { code: 'url/unsafe', file: C, line: 48, column: 69 },
    ],
  },
  { name: 'rejects a kernel argument iPXE would read as a comment', edits: { [C]: append('delivery:\n  publishURL: http://10.0.0.1/out/\n  bootAssets:\n    flatcar: { kernelArgs: ["#debug"] }\n') }, errors: [{ code: 'url/unsafe', file: C, line: 47, column: 29 }] },
  { name: 'rejects a ${ in the publish URL, which iPXE would expand', edits: { [C]: append("delivery:\n  publishURL: 'http://10.0.0.1/${net0/ip}/'\n") }, errors: [{ code: 'url/unsafe', file: C, line: 45, column: 15 }] },
  { name: 'rejects a publish URL with a ; GRUB would split on', edits: { [C]: append("delivery:\n  publishURL: 'http://10.0.0.1/a;b/'\n") }, errors: [{ code: 'url/unsafe', file: C, line: 45, column: 15 }] },
  { name: 'rejects a publish URL with a fragment, which the config paths appended to it would land in', edits: { [C]: append("delivery:\n  publishURL: 'http://10.0.0.1/lab/#x/'\n") }, errors: [{ code: 'url/invalid', file: C, line: 45, column: 15 }] },
  { name: 'rejects a boot-asset base URL with a query, which the asset names appended to it would land in', edits: { [C]: append("delivery:\n  publishURL: http://10.0.0.1/out/\n  bootAssets:\n    baseURL: 'http://10.0.0.1/assets/?v=1'\n") }, errors: [{ code: 'url/invalid', file: C, line: 47, column: 14 }] },
  { name: 'rejects a publish URL whose host is not a DNS name or IP address (GRUB reads a comma as the end of the host)', edits: { [C]: append("delivery:\n  publishURL: 'http://pxe,lab!/out/'\n") }, errors: [{ code: 'url/invalid', file: C, line: 45, column: 15 }] },
  { name: 'rejects a non-ASCII character in a boot URL, which iPXE would send unencoded', edits: { [C]: append("delivery:\n  publishURL: 'http://10.0.0.1/läb/'\n") }, errors: [{ code: 'url/unsafe', file: C, line: 45, column: 15 }] },
  { name: 'rejects credentials in a boot URL, which GRUB cannot send and every boot script would show', edits: { [C]: append("delivery:\n  publishURL: http://10.0.0.1/out/\n  bootAssets:\n    baseURL: 'http://pxe:secret@10.0.0.1/assets/'\n") }, errors: [{ code: 'url/invalid', file: C, line: 47, column: 14 }] },
  {
    name: 'rejects malformed static network values',
    edits: { [N]: append('network:\n  mac: 52:54:00:00:22\n  addresses: [10.0.0.22, 10.0.0.22/24]\n  gateway: fd00::1\n  nameservers: [dns.example]\n  search: [bad_domain]\n') },
    errors: [
      { code: 'node/invalid-mac', file: N, line: 30, column: 8 },
      { code: 'node/invalid-ip', file: N, line: 31, column: 15 },
      { code: 'net/wrong-family', file: N, line: 32, column: 12 },
      { code: 'node/invalid-ip', file: N, line: 33, column: 17 },
      { code: 'schema/pattern', file: N, line: 34, column: 12 },
    ],
  },
  { name: 'rejects an unknown key in the network block', edits: { [N]: append('network:\n  address: 10.0.0.22/24\n') }, errors: [{ code: 'schema/unknown-key', file: N, line: 30, column: 3 }] },
];

describe('delivery bad input', () => {
  for (const c of cases) {
    it(c.name, () => {
      const loaded = loadProject(exampleProject(c.edits), { env: {} });
      const errors = loaded.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => ({ code: d.code, file: d.location?.file, line: d.location?.line, column: d.location?.column }));
      expect(errors).toEqual(c.errors.map((e) => ({ ...e, file: expect.stringMatching(new RegExp(`${join('profiles', e.file).replace(/[.]/g, '\\.')}$`)) })));
    });
  }

  it('resolves static network settings key by key: cluster defaults, then the node', () => {
    const dir = exampleProject({
      [C]: replaceOnce('  interface: eth0\n', '  interface: eth0\n  network: { gateway: 10.0.0.1, nameservers: [10.0.0.1] }\n'),
      [N]: append('network:\n  mac: 52-54-00-00-00-22\n  addresses: [10.0.0.22/24]\n'),
    });
    const loaded = loadProject(dir, { env: {} });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const nodes = new Map(loaded.project!.nodes.map((n) => [n.name, n]));
    expect(nodes.get('worker-2')!.network).toEqual({ name: 'ens3', mac: '52:54:00:00:00:22', addresses: ['10.0.0.22/24'], gateway: '10.0.0.1', nameservers: ['10.0.0.1'], search: [] });
    // Defaults alone (no addresses) keep a node on DHCP.
    expect(nodes.get('cp-1')!.network).toBeUndefined();
  });

  it('reports a node over its platform budget, naming node, size, limit and remedy', () => {
    const dir = exampleProject({
      [N]: replaceOnce('os: fcos\n', 'os: fcos\nplatform: aws\n'),
      'roles/worker.yaml': replaceOnce('      inline: worker\n', `      inline: "${incompressible(20_000)}"\n`),
    });
    const project = loadProject(dir, { env: {} }).project!;
    const build = compileProject(project).builds.find((b) => b.node.name === 'worker-1')!;
    const config = build.artifacts.find((a) => a.kind === 'ignition')!;
    const result = checkBudget({ node: build.node, kind: 'ignition', payload: config.data, ...(project.cluster.publishURL ? { publishURL: project.cluster.publishURL } : {}) });
    expect(result.diagnostics.map((d) => ({ code: d.code, line: d.location?.line, file: d.location?.file }))).toEqual([{ code: 'size/over-budget', line: 13, file: expect.stringMatching(/nodes\.yaml$/) }]);
    expect(result.diagnostics[0]!.message).toMatch(/^the Ignition config of node 'worker-1' is \d{2},\d{3} B; aws allows 16,384 B$/);
    expect(result.diagnostics[0]!.hint).toContain('delivery.publishURL');
  });
});
