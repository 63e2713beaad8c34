import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packNoCloudSeedWithDigest } from '../../src/pack/nocloud-seed.ts';
import { blkidExport, isoinfoList, xorrisoExtract } from './iso-readers.ts';
import { scratchDirectory, sha256, writeScratch } from './tools.ts';

const scratch = scratchDirectory('seed');
afterAll(scratch.cleanup);
let count = 0;

function saveSeed(image: Uint8Array): { path: string; extract: () => string } {
  const path = writeScratch(scratch.dir, `seed${String(count++)}.iso`, image);
  return { path, extract: () => xorrisoExtract(path, join(scratch.dir, `x${String(count++)}`)) };
}

describe('packNoCloudSeedWithDigest', () => {
  const userData = new TextEncoder().encode('#cloud-config\nhostname: node-1\n');
  const metaData = new TextEncoder().encode('instance-id: node-1\nlocal-hostname: node-1\n');
  const networkConfig = new TextEncoder().encode('version: 2\nethernets: {}\n');

  it('writes user-data and meta-data on a volume blkid labels cidata', () => {
    const seed = saveSeed(packNoCloudSeedWithDigest({ 'user-data': userData, 'meta-data': metaData }).image);
    expect(blkidExport(seed.path)).toMatchObject({ LABEL: 'cidata', TYPE: 'iso9660' });
    expect(isoinfoList(seed.path, '-R').map((f) => f.name).sort()).toEqual(['meta-data', 'user-data']);
    expect(isoinfoList(seed.path, '-J').map((f) => f.name).sort()).toEqual(['meta-data', 'user-data']);
    const dir = seed.extract();
    expect(sha256(readFileSync(join(dir, 'user-data')))).toBe(sha256(userData));
    expect(sha256(readFileSync(join(dir, 'meta-data')))).toBe(sha256(metaData));
  });

  it('adds network-config when given one', () => {
    const seed = saveSeed(
      packNoCloudSeedWithDigest({ 'user-data': userData, 'meta-data': metaData, 'network-config': networkConfig }).image,
    );
    expect(isoinfoList(seed.path, '-R').map((f) => f.name).sort()).toEqual(['meta-data', 'network-config', 'user-data']);
    const dir = seed.extract();
    expect(sha256(readFileSync(join(dir, 'network-config')))).toBe(sha256(networkConfig));
  });

  it('gives identical bytes on two calls', () => {
    const once = packNoCloudSeedWithDigest({ 'user-data': userData, 'meta-data': metaData }).image;
    expect(sha256(packNoCloudSeedWithDigest({ 'user-data': userData, 'meta-data': metaData }).image)).toBe(sha256(once));
  });
});
