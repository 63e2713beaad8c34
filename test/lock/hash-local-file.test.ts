/** `--from-file` copies are hashed only when they are regular files within the artifact size limit. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashLocalFile } from '../../src/lock/hash-local-file.ts';
import { tempDir } from '../helpers/project.ts';
import { testBytes } from './local-server.ts';

const digest = (tool: string, file: string): string => execFileSync(tool, [file], { encoding: 'utf8' }).split(' ')[0] ?? '';

describe('hashLocalFile', () => {
  it('hashes a regular file (through a symlink too) as coreutils does', () => {
    const dir = tempDir();
    const file = join(dir, 'flanneld-amd64');
    writeFileSync(file, testBytes(3 * 1024 * 1024 + 5, 3));
    symlinkSync(file, join(dir, 'link'));
    expect(hashLocalFile(join(dir, 'link'))).toEqual({
      ok: true,
      size: 3 * 1024 * 1024 + 5,
      sha256: digest('sha256sum', file),
      sha512: digest('sha512sum', file),
    });
  });

  it('refuses a FIFO, a character device behind a symlink and a directory without reading them', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync('/dev/zero', join(dir, 'zero'));
    mkdirSync(join(dir, 'folder'));
    // A small limit, so that a reader that ignored the file type would still stop.
    expect(hashLocalFile(join(dir, 'fifo'), 1024 * 1024)).toEqual({ ok: false, code: 'io/not-a-file', reason: 'a FIFO (named pipe), not a regular file' });
    expect(hashLocalFile(join(dir, 'zero'), 1024 * 1024)).toEqual({ ok: false, code: 'io/not-a-file', reason: 'a character device, not a regular file' });
    expect(hashLocalFile(join(dir, 'folder'), 1024 * 1024)).toEqual({ ok: false, code: 'io/not-a-file', reason: 'a directory, not a regular file' });
    expect(hashLocalFile(join(dir, 'absent'))).toEqual({ ok: false, code: 'io/unreadable', reason: 'no such file or directory' });
  });

  it('refuses a file over the size limit and takes one exactly at it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'at'), testBytes(1000));
    writeFileSync(join(dir, 'over'), testBytes(1001));
    expect(hashLocalFile(join(dir, 'at'), 1000)).toMatchObject({ ok: true, size: 1000 });
    expect(hashLocalFile(join(dir, 'over'), 1000)).toEqual({ ok: false, code: 'io/unreadable', reason: 'is 1001 bytes, more than the limit of 1000 bytes for an artifact' });
  });
});
