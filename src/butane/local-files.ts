/**
 * The injected reader for Butane's `local`, `contents_local`, `ssh_authorized_keys_local` and
 * `trees`: the translator stays pure and asks this interface for bytes. The path checks that do
 * not need the file system (the files-dir escape rule) live here so every reader shares them;
 * the fs-backed reader is ./fs-reader.ts.
 */

export type LocalRead = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly error: string };

export interface TreeEntry {
  /** Path relative to the tree root, '/'-separated. */
  readonly path: string;
  readonly kind: 'file' | 'symlink' | 'other';
  /** For files: any execute bit set. */
  readonly executable?: boolean;
  /** For symlinks: the link target, verbatim. */
  readonly target?: string;
}

export type TreeListing =
  | { readonly ok: true; readonly entries: readonly TreeEntry[] }
  | { readonly ok: false; readonly error: string };

export interface LocalFileReader {
  /** Reads `relPath` (clean, relative, inside the files directory). */
  readFile(relPath: string): LocalRead;
  /**
   * Lists the tree rooted at `relPath` in filepath.Walk order (lexical, depth-first), without
   * directories. Fails with Butane's "root of tree must be a directory" when it is not one.
   */
  listTree(relPath: string): TreeListing;
}


/**
 * filepath.Join(filesDir, p) relative to filesDir, or undefined when it would leave filesDir.
 * Like Butane, an absolute `p` is taken relative to the files directory.
 */
export function cleanLocalPath(p: string): string | undefined {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}
