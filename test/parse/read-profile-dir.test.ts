import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfileDir } from '../../src/parse/read-profile-dir.ts';
import { tempDir } from '../helpers/project.ts';

describe('readProfileDir', () => {
  it('reads the YAML files of a project and skips secrets/, templates/, hidden folders and other files', () => {
    const dir = tempDir();
    for (const sub of ['nodes', 'roles', 'secrets', 'templates', '.git']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'cluster.yaml'), 'a'.repeat(100));
    writeFileSync(join(dir, 'nodes', 'fleet.yml'), 'b'.repeat(250));
    writeFileSync(join(dir, 'roles', 'worker.yaml'), 'c'.repeat(40));
    writeFileSync(join(dir, 'roles', 'README.md'), 'd'.repeat(1000));
    writeFileSync(join(dir, 'secrets', 'token.yaml'), 'e'.repeat(1000));
    writeFileSync(join(dir, 'templates', 'unit.yaml'), 'f'.repeat(1000));
    writeFileSync(join(dir, '.git', 'x.yaml'), 'g'.repeat(1000));
    const read = readProfileDir(dir);
    expect(read.files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(['cluster.yaml', 'nodes/fleet.yml', 'roles/worker.yaml']);
    expect(read.files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0)).toBe(390);
  });
});
