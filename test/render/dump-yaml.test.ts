/** dumpYaml: js-yaml's dump, except that strings of megabytes no longer overflow the stack. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { dump, load } from 'js-yaml';
import { dumpYaml } from '../../src/render/dump-yaml.ts';
import { pseudoRandomBytes } from '../pack/tools.ts';

const OPTIONS = { lineWidth: -1, noRefs: true } as const;

describe('dumpYaml', () => {
  it('writes what dump writes for values without long strings', () => {
    const values = [
      [{ path: '/etc/x', owner: 'root:root', permissions: '0644', content: 'a\nb\n' }],
      [{ name: 'core', groups: 'wheel, sudo', lock_passwd: true, ssh_authorized_keys: ['ssh-ed25519 AAAA x'] }],
      [{ path: '/etc/y', encoding: 'b64', content: Buffer.from(pseudoRandomBytes(48_000, 3)).toString('base64') }],
      ['yes', '0644', 'KINDLING-LARGE-SCALAR-0', 'text: with colon', '- dash'],
    ];
    for (const value of values) expect(dumpYaml(value, OPTIONS)).toBe(dump(value, OPTIONS));
  });

  it('writes multi-line ASCII text over 64 KiB as the literal block dump writes', () => {
    const value = [{ path: '/etc/big', content: 'line of text\n'.repeat(10_000) }];
    expect(dumpYaml(value, OPTIONS)).toBe(dump(value, OPTIONS));
  });

  it('writes long strings that YAML reads back unchanged, in a mapping and as list items', () => {
    const base64 = Buffer.from(pseudoRandomBytes(200_000, 4)).toString('base64');
    const unicode = `tab\tand ünïcödé \u0085 \u0090 \u007f "quotes" \\ ${'x'.repeat(70_000)}\r\nend\u2028 \u2029 \ufeff`;
    const value = [{ a: base64, b: unicode, c: [base64, 'short'] }, unicode];
    const text = dumpYaml(value, OPTIONS);
    expect(load(text)).toEqual(value);
    // PyYAML (YAML 1.1, the reader of cloud-init) too.
    const python = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
    expect(JSON.parse(execFileSync('python3', ['-c', python], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 }))).toEqual(value);
  });

  it('dumps a 5 MB base64 string and a 5 MB text, which dump itself cannot', () => {
    const base64 = Buffer.from(pseudoRandomBytes(4_000_000, 5)).toString('base64');
    const text = 'a line\n'.repeat(750_000);
    const value = [{ path: '/x', content: base64 }, { path: '/y', content: text }];
    expect(() => dump(value, OPTIONS)).toThrow(RangeError);
    expect(load(dumpYaml(value, OPTIONS))).toEqual(value);
  });
});
