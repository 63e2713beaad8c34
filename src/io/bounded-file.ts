/**
 * The one way kindling reads an input file (a profile, a `contents.local` file, a template, a
 * secret, the lock file, a Butane local file): only a regular file, after symlinks are resolved,
 * and only up to MAX_INPUT_BYTES. A FIFO would block the build forever waiting for a writer, a
 * device like /dev/zero never ends, and a huge file would exhaust memory long before a useful error.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { describeIoError } from './io-error.ts';

/** The largest input file kindling reads: 16 MiB (README, "bad input"). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export type BoundedRead =
  | { readonly ok: true; readonly data: Buffer; /** Permission bits of the file read (st_mode & 0o7777). */ readonly mode: number }
  | { readonly ok: false; readonly code: 'io/unreadable' | 'io/not-a-file' | 'io/too-large'; readonly reason: string; readonly cause?: unknown };

/**
 * Reads `path` if it is a regular file of at most `limit` bytes. The type and size are checked
 * before opening (opening some devices has effects) and again on the opened file (the path may
 * have changed in between); the read stops after `limit + 1` bytes whatever the size claimed.
 */
export function readBoundedFile(path: string, limit = MAX_INPUT_BYTES): BoundedRead {
  let fd: number;
  try {
    const refused = refusal(statSync(path), limit);
    if (refused) return refused;
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, code: 'io/unreadable', reason: describeIoError(error), cause: error };
  }
  try {
    const stats = fstatSync(fd);
    const refused = refusal(stats, limit);
    if (refused) return refused;
    const chunks: Buffer[] = [];
    let total = 0;
    let chunk = Buffer.allocUnsafe(Math.min(stats.size, limit) + 1);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) return tooLarge(total, limit, true);
      chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
    }
    return { ok: true, data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), mode: stats.mode & 0o7777 };
  } catch (error) {
    return { ok: false, code: 'io/unreadable', reason: describeIoError(error), cause: error };
  } finally {
    closeSync(fd);
  }
}

function refusal(stats: Stats, limit: number): BoundedRead | undefined {
  if (!stats.isFile()) return { ok: false, code: 'io/not-a-file', reason: `${kindOf(stats)}, not a regular file` };
  if (stats.size > limit) return tooLarge(stats.size, limit, false);
  return undefined;
}

function tooLarge(size: number, limit: number, atLeast: boolean): BoundedRead {
  return { ok: false, code: 'io/too-large', reason: `${atLeast ? 'more than ' : ''}${(atLeast ? limit : size).toLocaleString('en-US')} bytes, over the limit of ${formatLimit(limit)}` };
}

function formatLimit(limit: number): string {
  return limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MiB` : `${limit.toLocaleString('en-US')} bytes`;
}

/** What a path that is not a regular file is, for messages. */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

/** The hint for a refused read, by code. */
export function boundedReadHint(code: Exclude<BoundedRead, { ok: true }>['code'], fallback: string): string {
  if (code === 'io/not-a-file') return 'kindling reads only regular files (not directories, FIFOs or devices); name the file itself';
  if (code === 'io/too-large') return `kindling reads files of at most ${formatLimit(MAX_INPUT_BYTES)}; deliver larger files with contents.url and a sha512`;
  return fallback;
}
