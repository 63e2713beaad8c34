/**
 * An output tree in memory: relative path → bytes and mode. Builds assemble one, compare it with
 * what is on disk, and only then write: an unchanged rebuild touches nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeFile {
  readonly data: Uint8Array;
  readonly mode: number;
}

export type OutputTree = Map<string, TreeFile>;

export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads every regular file below `dir` (relative paths with '/'), or an empty tree if it does not exist. */
export function readTree(dir: string): OutputTree {
  const tree: OutputTree = new Map();
  const walk = (folder: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(full, rel);
      else if (entry.isFile()) tree.set(rel, { data: readFileSync(full), mode: statSync(full).mode & 0o7777 });
    }
  };
  walk(dir, '');
  return tree;
}

export function treesEqual(a: OutputTree, b: OutputTree): boolean {
  if (a.size !== b.size) return false;
  for (const [path, file] of a) {
    const other = b.get(path);
    if (!other || other.mode !== file.mode || !Buffer.from(other.data).equals(Buffer.from(file.data))) return false;
  }
  return true;
}
