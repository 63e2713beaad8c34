import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { packCpioNewc } from '../../src/pack/cpio.ts';
import type { CpioEntry } from '../../src/pack/cpio.ts';
import { packIgnitionInitrd } from '../../src/pack/ignition-initrd.ts';
import { pseudoRandomBytes, refusalCode, runText, runTool, scratchDirectory, sha256 } from './tools.ts';

const scratch = scratchDirectory('cpio');
afterAll(scratch.cleanup);
let extractions = 0;

interface Listed {
  readonly mode: string;
  readonly links: number;
  readonly uid: string;
  readonly gid: string;
  readonly size: number;
  readonly date: string;
  readonly path: string;
}

/** `cpio -itv --numeric-uid-gid`, one parsed line per member, in archive order. */
function cpioList(archive: Uint8Array): Listed[] {
  const text = runText('cpio', ['-itv', '--numeric-uid-gid', '--quiet'], { input: archive });
  if (text.trim() === '') return [];
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const match = /^(\S{10})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\w{3}\s+\d+\s+\d{4})\s+(.+)$/.exec(line);
      if (match === null) throw new Error(`unexpected cpio -itv line: ${line}`);
      const [, mode = '', links = '', uid = '', gid = '', size = '', date = '', path = ''] = match;
      return { mode, links: Number(links), uid, gid, size: Number(size), date: date.replace(/\s+/g, ' '), path };
    });
}

/** Extracts with `cpio -idm` into a fresh directory and returns it. */
function cpioExtract(archive: Uint8Array): string {
  const dir = join(scratch.dir, `x${String(extractions++)}`);
  mkdirSync(dir);
  runText('cpio', ['-idm', '--quiet', '--no-absolute-filenames'], { input: archive, cwd: dir });
  return dir;
}

// Sizes 0–5 cover every 4-byte padding case of the data; the name lengths vary the header padding.
const entries: CpioEntry[] = [
  { path: 'secret', mode: 0o600, data: pseudoRandomBytes(5, 1) },
  { path: 'usr/share/oem/config.ign', mode: 0o644, data: new TextEncoder().encode('{"ignition":{}}') },
  { path: 'run.sh', mode: 0o755, data: pseudoRandomBytes(3, 2) },
  { path: 'empty', mode: 0o644, data: new Uint8Array(0) },
  { path: 'a/b', mode: 0o640, data: pseudoRandomBytes(1, 3) },
  { path: 'a/cc', mode: 0o400, data: pseudoRandomBytes(2, 4) },
  { path: 'a/ddd/big.bin', mode: 0o644, data: pseudoRandomBytes(65_537, 5) },
  { path: 'four', mode: 0o644, data: pseudoRandomBytes(4, 6) },
];

describe('packCpioNewc', () => {
  it('writes a newc archive that cpio lists, parents first, with the right modes, owner and mtime', () => {
    const listed = cpioList(packCpioNewc(entries));
    expect(listed.map((l) => [l.path, l.mode])).toEqual([
      ['a', 'drwxr-xr-x'],
      ['a/b', '-rw-r-----'],
      ['a/cc', '-r--------'],
      ['a/ddd', 'drwxr-xr-x'],
      ['a/ddd/big.bin', '-rw-r--r--'],
      ['empty', '-rw-r--r--'],
      ['four', '-rw-r--r--'],
      ['run.sh', '-rwxr-xr-x'],
      ['secret', '-rw-------'],
      ['usr', 'drwxr-xr-x'],
      ['usr/share', 'drwxr-xr-x'],
      ['usr/share/oem', 'drwxr-xr-x'],
      ['usr/share/oem/config.ign', '-rw-r--r--'],
    ]);
    for (const l of listed) {
      expect([l.uid, l.gid, l.date]).toEqual(['0', '0', 'Jan 1 1970']);
    }
    const sizes = new Map(entries.map((e) => [e.path, e.data.length]));
    for (const l of listed.filter((x) => x.mode.startsWith('-'))) expect(l.size).toBe(sizes.get(l.path));
  });

  it('extracts with cpio -idm to files byte-equal to the input, with their modes and mtime 0', () => {
    const dir = cpioExtract(packCpioNewc(entries));
    for (const entry of entries) {
      const path = join(dir, entry.path);
      expect(sha256(readFileSync(path))).toBe(sha256(entry.data));
      const stat = statSync(path);
      expect(stat.mode & 0o7777).toBe(entry.mode);
      expect(stat.mtimeMs).toBe(0);
    }
  });

  it('gives identical bytes on two calls and whatever the order of the entries', () => {
    const first = sha256(packCpioNewc(entries));
    expect(sha256(packCpioNewc(entries))).toBe(first);
    expect(sha256(packCpioNewc([...entries].reverse()))).toBe(first);
  });

  it('gives each member its own inode, directories two links and files one', () => {
    const archive = packCpioNewc(entries);
    const text = new TextDecoder('latin1').decode(archive);
    const inodes: number[] = [];
    for (let at = text.indexOf('070701'); at >= 0; at = text.indexOf('070701', at + 110)) {
      inodes.push(Number.parseInt(text.slice(at + 6, at + 14), 16));
    }
    const members = inodes.slice(0, -1); // the trailer carries inode 0
    expect(new Set(members).size).toBe(members.length);
    expect(members).not.toContain(0);
    const listed = cpioList(archive);
    for (const l of listed) expect(l.links).toBe(l.mode.startsWith('d') ? 2 : 1);
  });

  it('ends with the TRAILER!!! entry and a length that is a multiple of 4', () => {
    const archive = packCpioNewc([{ path: 'x', mode: 0o644, data: pseudoRandomBytes(7, 9) }]);
    expect(archive.length % 4).toBe(0);
    const tail = new TextDecoder('latin1').decode(archive.slice(-16));
    expect(tail).toMatch(/TRAILER!!!\0+$/);
  });

  it('writes an archive with only the trailer when given no entries', () => {
    const archive = packCpioNewc([]);
    expect(archive.length).toBeGreaterThan(0);
    expect(cpioList(archive)).toEqual([]);
  });

  it.each([
    ['/etc/passwd', 'file/invalid-path'],
    ['../escape', 'file/invalid-path'],
    ['a/./b', 'file/invalid-path'],
    ['a//b', 'file/invalid-path'],
    ['', 'file/invalid-path'],
    ['TRAILER!!!', 'file/invalid-path'],
  ])('refuses the path %j with %s', (path, code) => {
    expect(refusalCode(() => packCpioNewc([{ path, mode: 0o644, data: new Uint8Array(1) }]))).toBe(code);
  });

  it('refuses two entries with one path, and a file where a directory is needed', () => {
    const one = { path: 'a', mode: 0o644, data: new Uint8Array(1) };
    expect(refusalCode(() => packCpioNewc([one, one]))).toBe('file/duplicate-path');
    expect(refusalCode(() => packCpioNewc([one, { path: 'a/b', mode: 0o644, data: new Uint8Array(1) }]))).toBe(
      'file/duplicate-path',
    );
  });

  it.each([0o10000, -1, 1.5, Number.NaN])('refuses the mode %d', (mode) => {
    expect(refusalCode(() => packCpioNewc([{ path: 'a', mode, data: new Uint8Array(1) }]))).toBe('file/invalid-mode');
  });
});

describe('packIgnitionInitrd', () => {
  const config = new TextEncoder().encode('{"ignition":{"version":"3.3.0"}}\n');

  it('puts config.ign alone at the archive root, mode 0600, for Fedora CoreOS', () => {
    const archive = gunzip(packIgnitionInitrd(config, 'fcos'));
    expect(cpioList(archive).map((l) => [l.path, l.mode, l.size])).toEqual([
      ['config.ign', '-rw-------', config.length],
    ]);
    const dir = cpioExtract(archive);
    expect(new Uint8Array(readFileSync(join(dir, 'config.ign')))).toEqual(config);
  });

  it('puts config.ign under usr/share/oem, with its parent directories, for Flatcar', () => {
    const archive = gunzip(packIgnitionInitrd(config, 'flatcar'));
    expect(cpioList(archive).map((l) => [l.path, l.mode])).toEqual([
      ['usr', 'drwxr-xr-x'],
      ['usr/share', 'drwxr-xr-x'],
      ['usr/share/oem', 'drwxr-xr-x'],
      ['usr/share/oem/config.ign', '-rw-------'],
    ]);
    const dir = cpioExtract(archive);
    const path = join(dir, 'usr/share/oem/config.ign');
    expect(new Uint8Array(readFileSync(path))).toEqual(config);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('writes a gzip stream with mtime 0 and the Unix OS byte, identical on two calls', () => {
    const first = packIgnitionInitrd(config, 'flatcar');
    expect(packIgnitionInitrd(config, 'flatcar')).toEqual(first);
    expect([...first.slice(0, 3)]).toEqual([0x1f, 0x8b, 8]);
    expect([...first.slice(4, 8)]).toEqual([0, 0, 0, 0]);
    expect(first[9]).toBe(3);
    // Still valid gzip after setting the OS byte, for Node's reader as well as gunzip's.
    expect(new Uint8Array(gunzipSync(first))).toEqual(gunzip(first));
  });

  it('packs each of many same-length configs exactly as the cpio writer does alone, whatever came before', () => {
    for (const os of ['fcos', 'flatcar'] as const) {
      for (let i = 0; i < 300; i++) {
        const data = pseudoRandomBytes(1000 + (i % 7), i + 1);
        const expected = packCpioNewc([{ path: os === 'fcos' ? 'config.ign' : 'usr/share/oem/config.ign', mode: 0o600, data }]);
        expect(new Uint8Array(gunzipSync(packIgnitionInitrd(data, os)))).toEqual(expected);
      }
    }
  });
});

function gunzip(input: Uint8Array): Uint8Array {
  return new Uint8Array(runTool('gunzip', ['-c'], { input }).stdout);
}
