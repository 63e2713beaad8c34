import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-fsreader-'));
  mkdirSync(join(dir, 't/b/deep'), { recursive: true });
  writeFileSync(join(dir, 't/z'), 'z');
  writeFileSync(join(dir, 't/B'), 'upper');
  writeFileSync(join(dir, 't/b/deep/x'), 'x', { mode: 0o750 });
  writeFileSync(join(dir, 't/a'), 'a');
  symlinkSync('../z', join(dir, 't/b/link'));
  execFileSync('mkfifo', [join(dir, 't/fifo')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createFsReader', () => {
  it('lists a tree in filepath.Walk order (byte order, depth first) without directories', () => {
    const r = createFsReader(dir, readBoundedFile).listTree('t');
    expect(r.ok && r.entries).toEqual([
      { path: 'B', kind: 'file', executable: false },
      { path: 'a', kind: 'file', executable: false },
      { path: 'b/deep/x', kind: 'file', executable: true },
      { path: 'b/link', kind: 'symlink', target: '../z' },
      { path: 'fifo', kind: 'other' },
      { path: 'z', kind: 'file', executable: false },
    ]);
  });

  it('reports Go-style errors for a missing file and a tree root that is a file', () => {
    const reader = createFsReader(dir, readBoundedFile);
    expect(reader.readFile('nope')).toEqual({ ok: false, error: `open ${join(dir, 'nope')}: no such file or directory` });
    expect(reader.listTree('t/a')).toEqual({ ok: false, error: 'root of tree must be a directory' });
  });

  it('refuses paths that are not clean and relative, even if called directly', () => {
    const reader = createFsReader(join(dir, 't'), readBoundedFile);
    expect(reader.readFile('../t/a')).toEqual({ ok: false, error: 'local file path traverses outside the files directory' });
    expect(new TextDecoder().decode((reader.readFile('a') as { data: Uint8Array }).data)).toBe('a');
  });

  it('refuses a FIFO, a symlink to /dev/zero and a file over 16 MiB with an error, without blocking or reading them whole', () => {
    const reader = createFsReader(dir, readBoundedFile);
    symlinkSync('/dev/zero', join(dir, 'zero'));
    writeFileSync(join(dir, 'huge'), '');
    truncateSync(join(dir, 'huge'), 16 * 1024 * 1024 + 1);
    expect(reader.readFile('t/fifo')).toEqual({ ok: false, error: `read ${join(dir, 't/fifo')}: a FIFO (named pipe), not a regular file` });
    expect(reader.readFile('zero')).toEqual({ ok: false, error: `read ${join(dir, 'zero')}: a character device, not a regular file` });
    expect(reader.readFile('huge')).toEqual({ ok: false, error: `read ${join(dir, 'huge')}: 16,777,217 bytes, over the limit of 16 MiB` });
  });
});
