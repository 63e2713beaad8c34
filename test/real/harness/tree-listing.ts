/**
 * A listing of a directory tree as the tests assert on it: path, type, permission bits, owner and,
 * for regular files, the sha256 of the content. Symlinks are not followed (their target is recorded),
 * so a listing of a scratch root never escapes into the host.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

type EntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket' | 'whiteout';

export interface TreeEntry {
  /** Relative to the listed root, '/'-separated, no leading slash. */
  readonly path: string;
  readonly type: EntryType;
  /** Permission bits including setuid/setgid/sticky (e.g. 0o600). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Regular files only. */
  readonly sha256?: string;
  /** Symlinks only. */
  readonly target?: string;
}

function typeOf(stats: Stats): EntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'dir';
  if (stats.isFile()) return 'file';
  // overlayfs records a deletion in the upper layer as a 0:0 character device.
  if (stats.isCharacterDevice()) return stats.rdev === 0 ? 'whiteout' : 'char';
  if (stats.isBlockDevice()) return 'block';
  if (stats.isFIFO()) return 'fifo';
  return 'socket';
}

export interface ListOptions {
  /** Relative directory paths not to descend into (e.g. 'proc'). */
  readonly skip?: readonly string[];
}

/** Every entry under `root` (not `root` itself), sorted by path. */
export function listTree(root: string, options: ListOptions = {}): TreeEntry[] {
  const skip = new Set(options.skip ?? []);
  const entries: TreeEntry[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const absolute = join(root, path);
      const stats = lstatSync(absolute);
      const type = typeOf(stats);
      entries.push({
        path,
        type,
        mode: stats.mode & 0o7777,
        uid: stats.uid,
        gid: stats.gid,
        size: stats.size,
        ...(type === 'file' ? { sha256: createHash('sha256').update(readFileSync(absolute)).digest('hex') } : {}),
        ...(type === 'symlink' ? { target: readlinkSync(absolute) } : {}),
      });
      if (type === 'dir' && !skip.has(path)) walk(path);
    }
  };
  walk('');
  return entries;
}

/** The entry at `path` (leading '/' allowed), or undefined. */
export function findEntry(listing: readonly TreeEntry[], path: string): TreeEntry | undefined {
  const wanted = path.replace(/^\/+/, '');
  return listing.find((entry) => entry.path === wanted);
}

/** `0600`-style text, for readable assertion messages. */
export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** One line per entry, like the reference's listings: `600 0:0 file etc/x`. */
export function formatListing(listing: readonly TreeEntry[]): string {
  return listing
    .map((e) => `${octal(e.mode)} ${e.uid}:${e.gid} ${e.type.padEnd(8)} ${e.path}${e.target ? ` -> ${e.target}` : ''}`)
    .join('\n');
}
