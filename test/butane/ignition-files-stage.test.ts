/**
 * The real Ignition (Debian's 2.14.0 binary) writes the files the translator describes: its
 * fetch and files stages run against a scratch root, and every file must come out byte for
 * byte as written in the Butane input, whichever data URL form (percent, base64, Node-made
 * gzip) was chosen, with the mode asked for.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { translateButane } from '../../src/butane/index.ts';

const IGNITION = '/usr/lib/dracut/modules.d/30ignition/ignition';
let work = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kindling-ign-files-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Contents chosen to exercise every data URL form and Go's JSON escaping. */
function contentsSet(): string[] {
  const out = ['', 'node-1', 'a b&c<d>e\n', 'é ü 中文 😀\n', '\u2028\u2029 \u0007 \\ " \t\r\n', '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}\n'];
  out.push('line one of a repetitive file that compresses well\n'.repeat(20));
  out.push(Array.from({ length: 200 }, (_v, i) => `key${i}=${(i * 7919) % 1013}`).join('\n') + '\n');
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 95) + 32;
  for (let n of [10, 50, 120, 400, 3000]) {
    let s = '';
    while (n-- > 0) s += String.fromCharCode(rand());
    out.push(s);
  }
  return out;
}

function yamlDoubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

describe('real Ignition files stage on translator output', () => {
  it('writes every file with the exact contents and mode from the Butane input', () => {
    const contents = contentsSet();
    let bu = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n';
    contents.forEach((c, i) => {
      bu += `    - path: /etc/kindling/f${i}\n      mode: ${i % 2 ? '0600' : '0644'}\n      contents:\n        inline: ${yamlDoubleQuoted(c)}\n`;
    });
    const result = translateButane(bu);
    expect(result.ok).toBe(true);
    const kinds = new Set((result.config as { storage: { files: { contents: { compression: string; source: string } }[] } }).storage.files.map((f) =>
      f.contents.compression === 'gzip' ? 'gzip' : f.contents.source.startsWith('data:;base64,') ? 'base64' : 'percent',
    ));
    expect([...kinds].sort()).toEqual(['base64', 'gzip', 'percent']);

    const root = join(work, 'root');
    const run = join(work, 'run');
    const shim = join(work, 'shim');
    mkdirSync(join(root, 'etc/selinux'), { recursive: true });
    mkdirSync(run, { recursive: true });
    mkdirSync(shim, { recursive: true });
    writeFileSync(join(root, 'etc/selinux/config'), 'SELINUX=disabled\nSELINUXTYPE=targeted\n');
    writeFileSync(join(shim, 'setfiles'), '#!/bin/sh\ncat >/dev/null\nexit 0\n');
    chmodSync(join(shim, 'setfiles'), 0o755);
    const config = join(work, 'config.ign');
    writeFileSync(config, result.output!);
    const common = ['-platform', 'file', '-root', root, '-config-cache', join(run, 'ignition.json'), '-state-file', join(run, 'state'), '-log-to-stdout'];
    const env = { ...process.env, IGNITION_CONFIG_FILE: config, PATH: `${shim}:${process.env.PATH ?? ''}` };
    for (const stage of ['fetch', 'files']) {
      const r = spawnSync('timeout', ['60', IGNITION, '-stage', stage, ...common], { env, encoding: 'utf8' });
      expect(r.status, `${stage} stage:\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    contents.forEach((c, i) => {
      const p = join(root, `etc/kindling/f${i}`);
      expect(existsSync(p), p).toBe(true);
      expect(readFileSync(p).equals(Buffer.from(c, 'utf8')), `f${i}`).toBe(true);
      expect(statSync(p).mode & 0o777).toBe(i % 2 ? 0o600 : 0o644);
    });
  });
});
