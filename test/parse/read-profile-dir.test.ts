import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileBytes, readProfileDir } from '../../src/parse/read-profile-dir.ts';
import { tempDir } from '../helpers/project.ts';

describe('profileBytes', () => {
  it('adds up the sizes of exactly the files readProfileDir reads', () => {
    const dir = tempDir();
    for (const sub of ['nodes', 'roles', 'secrets', 'templates', '.git']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'cluster.yaml'), 'a'.repeat(100));
    writeFileSync(join(dir, 'nodes', 'fleet.yml'), 'b'.repeat(250));
    writeFileSync(join(dir, 'roles', 'worker.yaml'), 'c'.repeat(40));
    writeFileSync(join(dir, 'roles', 'README.md'), 'd'.repeat(1000));
    writeFileSync(join(dir, 'secrets', 'token.yaml'), 'e'.repeat(1000));
    writeFileSync(join(dir, 'templates', 'unit.yaml'), 'f'.repeat(1000));
    writeFileSync(join(dir, '.git', 'x.yaml'), 'g'.repeat(1000));
    expect(profileBytes(dir)).toBe(390);
    const read = readProfileDir(dir);
    expect(read.files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0)).toBe(390);
  });

  it('is 0 for a folder that does not exist (the load reports it)', () => {
    expect(profileBytes(join(tempDir(), 'missing'))).toBe(0);
  });
});
