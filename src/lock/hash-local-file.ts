/**
 * Hashes the local copy of an artifact that `kindling lock --from-file` pins. Only a regular file
 * (after symlinks) of at most MAX_ARTIFACT_BYTES, the limit downloads have: a FIFO would block
 * kindling until some writer appears, and a device such as /dev/zero never ends. The bytes are
 * hashed as they are read, as a download is, so a large binary is never held in memory.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { describeIoError } from '../io/io-error.ts';
import { kindOf } from '../io/bounded-file.ts';
import { MAX_ARTIFACT_BYTES } from './fetch-artifact.ts';

export type LocalHash =
  | { readonly ok: true; readonly size: number; readonly sha256: string; readonly sha512: string }
  /** io/not-a-file for a directory, FIFO, device or socket; io/unreadable for everything else. */
  | { readonly ok: false; readonly code: 'io/unreadable' | 'io/not-a-file'; readonly reason: string };

const CHUNK_BYTES = 1024 * 1024;

/**
 * With `copyTo`, the bytes hashed are also written there (created or truncated, mode 0644): the
 * copy is exactly what was hashed, even if the source changes meanwhile.
 */
export function hashLocalFile(path: string, limit = MAX_ARTIFACT_BYTES, copyTo?: string): LocalHash {
  let fd: number;
  try {
    // Checked before opening: opening a FIFO waits for a writer, and opening some devices has effects.
    const refused = refusal(statSync(path), limit);
    if (refused !== undefined) return refused;
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, code: 'io/unreadable', reason: describeIoError(error) };
  }
  let out: number | undefined;
  try {
    const refused = refusal(fstatSync(fd), limit);
    if (refused !== undefined) return refused;
    if (copyTo !== undefined) out = openSync(copyTo, 'w', 0o644);
    const sha256 = createHash('sha256');
    const sha512 = createHash('sha512');
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let size = 0;
    // The size stat reported is not trusted: the file may grow while it is read.
    for (let n = readSync(fd, chunk, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, chunk, 0, CHUNK_BYTES, null)) {
      size += n;
      if (size > limit) return tooLarge(`grew past ${size} bytes while being read`, limit);
      sha256.update(chunk.subarray(0, n));
      sha512.update(chunk.subarray(0, n));
      if (out !== undefined) writeSync(out, chunk, 0, n);
    }
    return { ok: true, size, sha256: sha256.digest('hex'), sha512: sha512.digest('hex') };
  } catch (error) {
    return { ok: false, code: 'io/unreadable', reason: describeIoError(error) };
  } finally {
    closeSync(fd);
    if (out !== undefined) closeSync(out);
  }
}

function refusal(stats: Stats, limit: number): LocalHash | undefined {
  if (!stats.isFile()) return { ok: false, code: 'io/not-a-file', reason: `${kindOf(stats)}, not a regular file` };
  if (stats.size > limit) return tooLarge(`is ${stats.size} bytes`, limit);
  return undefined;
}

function tooLarge(what: string, limit: number): LocalHash {
  return { ok: false, code: 'io/unreadable', reason: `${what}, more than the limit of ${limit} bytes for an artifact` };
}
