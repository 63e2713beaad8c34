/**
 * An output tree read back from disk: relative path → bytes and mode. `kindling diff` compares it
 * with the tree a build would write (write-output.ts desiredTree).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface TreeFile {
  readonly data: Uint8Array;
  readonly mode: number;
}

export type OutputTree = Map<string, TreeFile>;

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
