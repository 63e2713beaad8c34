import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packIso9660WithDigest } from '../../src/pack/iso9660.ts';
import type { IsoFile } from '../../src/pack/iso9660.ts';
import { blkidExport, isoinfoList, xorrisoExtract } from './iso-readers.ts';
import { pseudoRandomBytes, refusalCode, runText, runTool, scratchDirectory, sha256, writeScratch } from './tools.ts';

const scratch = scratchDirectory('iso');
afterAll(scratch.cleanup);
let images = 0;

const MiB = 1024 * 1024;

/** Writes an image to the scratch directory, since the ISO readers take a file path. */
function saveImage(image: Uint8Array): string {
  return writeScratch(scratch.dir, `image${String(images++)}.iso`, image);
}

function xorrisoExtractHere(path: string): string {
  return xorrisoExtract(path, join(scratch.dir, `x${String(images++)}`));
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

// One image exercising the awkward sizes: exactly 1 MiB (also a multiple of 2,048), 1 MiB plus a
// partial sector, exactly one sector, one byte, empty; and two names that clash in 8.3 form.
const files: IsoFile[] = [
  { name: 'user-data', data: pseudoRandomBytes(MiB, 1) },
  { name: 'odd-sized.bin', data: pseudoRandomBytes(MiB + 3, 2) },
  { name: 'sector', data: pseudoRandomBytes(2048, 3) },
  { name: 'one', data: pseudoRandomBytes(1, 4) },
  { name: 'meta-data', data: new Uint8Array(0) },
  { name: 'network-config-1', data: pseudoRandomBytes(100, 5) },
  { name: 'network-config-2', data: pseudoRandomBytes(200, 6) },
];
const expected = files.map((f) => ({ name: f.name, size: f.data.length })).sort(byName);

describe('packIso9660WithDigest', () => {
  const image = packIso9660WithDigest(files, { volumeId: 'cidata' }).image;
  const path = saveImage(image);

  it('is a volume isoinfo -d reads, with the volume id, Joliet, Rock Ridge and the right size', () => {
    const info = runText('isoinfo', ['-d', '-i', path]);
    expect(info).toContain('CD-ROM is in ISO 9660 format');
    expect(info).toMatch(/^Volume id: cidata$/m);
    expect(info).toContain('Rock Ridge signatures version 1 found');
    expect(info).toContain('Joliet with UCS level 3 found');
    expect(info).toMatch(/^Logical block size is: 2048$/m);
    expect(info).toContain(`Volume size is: ${String(image.length / 2048)}`);
    expect(info).not.toContain('BAD'); // isoinfo's complaint about a broken SUSP/ER entry
  });

  it('is loaded by xorriso (libisofs) with both Rock Ridge and Joliet on offer', () => {
    const { stderr, stdout } = runTool('xorriso', ['-indev', path, '-toc']);
    const text = stderr + stdout.toString('utf8');
    expect(text).toMatch(/ISO offers\s*:\s*Rock_Ridge Joliet/);
    expect(text).toMatch(/ISO session\s*:\s*1\s*,\s*0\s*,\s*\d+s\s*,\s*cidata/);
  });

  it('lists the exact names and sizes through Rock Ridge (isoinfo -R -l), read-only and owned by root', () => {
    const listed = isoinfoList(path, '-R');
    expect(listed.map(({ name, size }) => ({ name, size })).sort(byName)).toEqual(expected);
    for (const file of listed) expect(file.mode).toBe('-r--r--r--');
  });

  it('lists the exact names and sizes through Joliet (isoinfo -J -l)', () => {
    const listed = isoinfoList(path, '-J');
    expect(listed.map(({ name, size }) => ({ name, size })).sort(byName)).toEqual(expected);
  });

  it('gives every file a distinct 8.3 name in the plain ISO 9660 tree', () => {
    const names = isoinfoList(path, undefined).map((file) => file.name);
    expect(names).toHaveLength(files.length);
    expect(new Set(names).size).toBe(files.length);
    for (const name of names) expect(name).toMatch(/^[A-Z0-9_]{1,8}\.[A-Z0-9_]{0,3};1$/);
    expect(names).toContain('USER_DAT.;1');
  });

  it('restores every file byte-equal with xorriso -osirrox on -extract', () => {
    const dir = xorrisoExtractHere(path);
    expect(readdirSync(dir).sort()).toEqual(expected.map((f) => f.name));
    for (const file of files) {
      expect(sha256(readFileSync(join(dir, file.name))), file.name).toBe(sha256(file.data));
      expect(statSync(join(dir, file.name)).mtimeMs, file.name).toBe(0);
    }
  });

  it('hands isoinfo -R -x the same bytes, a second independent reader', () => {
    for (const name of ['odd-sized.bin', 'sector', 'one', 'meta-data']) {
      const file = files.find((f) => f.name === name);
      const read = runTool('isoinfo', ['-R', '-i', path, '-x', `/${name}`]).stdout;
      expect(sha256(read), name).toBe(sha256(file?.data ?? new Uint8Array(1)));
    }
  });

  it('is probed by blkid as TYPE="iso9660" with the label and no UUID', () => {
    const probe = blkidExport(path);
    expect(probe.TYPE).toBe('iso9660');
    expect(probe.LABEL).toBe('cidata');
    expect(probe).not.toHaveProperty('UUID');
  });

  it('passes isovfy, the ISO 9660 structure checker', () => {
    const report = runText('isovfy', [path]);
    expect(report).toContain('No errors found');
  });

  it("reuses the metadata of a same-shaped volume (same names and sizes) without leaking the first volume's data", () => {
    const other = files.map((f, i) => ({ name: f.name, data: pseudoRandomBytes(f.data.length, 100 + i) }));
    const second = saveImage(packIso9660WithDigest(other, { volumeId: 'cidata' }).image);
    const dir = xorrisoExtractHere(second);
    for (const file of other) expect(sha256(readFileSync(join(dir, file.name))), file.name).toBe(sha256(file.data));
    // A different label is a different shape: its descriptors must not come from the cache.
    expect(blkidExport(saveImage(packIso9660WithDigest(other, { volumeId: 'CIDATA' }).image)).LABEL).toBe('CIDATA');
    expect(runText('isovfy', [second])).toContain('No errors found');
  });

  it('computes while packing the same SHA-256 as hashing the finished image, for fresh and cached shapes', () => {
    for (const set of [files, files.slice(0, 3), [{ name: 'empty', data: new Uint8Array(0) }], []]) {
      for (let round = 0; round < 2; round++) {
        const packed = packIso9660WithDigest(set, { volumeId: 'cidata' });
        expect(packed.sha256, `${set.length} files, round ${round}`).toBe(sha256(packed.image));
      }
    }
  });

  it('gives identical bytes on two calls and whatever the order of the files', () => {
    expect(sha256(packIso9660WithDigest(files, { volumeId: 'cidata' }).image)).toBe(sha256(image));
    expect(sha256(packIso9660WithDigest([...files].reverse(), { volumeId: 'cidata' }).image)).toBe(sha256(image));
  });

  it('lays a root directory that spans several sectors without a record crossing a sector', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      name: `${String(i).padStart(2, '0')}-${'x'.repeat(61)}`,
      data: pseudoRandomBytes(i * 37, i),
    }));
    const manyPath = saveImage(packIso9660WithDigest(many, { volumeId: 'MANY' }).image);
    const wanted = many.map((f) => ({ name: f.name, size: f.data.length }));
    expect(isoinfoList(manyPath, '-R').map(({ name, size }) => ({ name, size }))).toEqual(wanted);
    expect(isoinfoList(manyPath, '-J').map(({ name, size }) => ({ name, size })).sort(byName)).toEqual(wanted);
    expect(runText('isovfy', [manyPath])).toContain('No errors found');
    const dir = xorrisoExtractHere(manyPath);
    for (const file of many) expect(sha256(readFileSync(join(dir, file.name)))).toBe(sha256(file.data));
  });

  it('leaves Joliet out on request and still reads the names through Rock Ridge', () => {
    const plainPath = saveImage(packIso9660WithDigest(files.slice(2), { volumeId: 'cidata', joliet: false }).image);
    const info = runText('isoinfo', ['-d', '-i', plainPath]);
    expect(info).toContain('NO Joliet present');
    expect(info).toContain('Rock Ridge signatures version 1 found');
    expect(isoinfoList(plainPath, '-R').map((f) => f.name).sort()).toEqual(files.slice(2).map((f) => f.name).sort());
    expect(blkidExport(plainPath).LABEL).toBe('cidata');
  });

  it('writes a valid volume with no files', () => {
    const emptyPath = saveImage(packIso9660WithDigest([], { volumeId: 'EMPTY' }).image);
    expect(isoinfoList(emptyPath, '-R')).toEqual([]);
    expect(runText('isovfy', [emptyPath])).toContain('No errors found');
  });

  it.each([
    ['a/b', 'file/invalid-path'],
    ['..', 'file/invalid-path'],
    ['', 'file/invalid-path'],
    ['x'.repeat(65), 'file/invalid-path'],
    ['naïve', 'file/invalid-path'],
  ])('refuses the file name %j with %s', (name, code) => {
    expect(refusalCode(() => packIso9660WithDigest([{ name, data: new Uint8Array(1) }], { volumeId: 'cidata' }).image)).toBe(code);
  });

  it('refuses two files with one name', () => {
    const file = { name: 'user-data', data: new Uint8Array(1) };
    expect(refusalCode(() => packIso9660WithDigest([file, file], { volumeId: 'cidata' }).image)).toBe('file/duplicate-path');
  });

  it.each(['', 'has space', 'x'.repeat(33)])('refuses the volume id %j', (volumeId) => {
    expect(refusalCode(() => packIso9660WithDigest([], { volumeId }).image)).toBe('usage/invalid-option');
  });
});
