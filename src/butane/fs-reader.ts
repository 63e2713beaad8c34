/**
 * The file-system LocalFileReader behind `--files-dir`: the only module of the translator that
 * touches the disk. Paths arrive already checked against escaping the files directory
 * (cleanLocalPath); error texts imitate Go's os errors, which Butane prints verbatim. Files are
 * read by the caller's `readFile`, which decides what may be read: kindling's refuses a FIFO, a
 * device or a file over its size limit, where Butane would block or exhaust memory.
 */
import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanLocalPath, type LocalFileReader, type TreeEntry } from './local-files.ts';
import { BUTANE_ERRORS as E, GO_OS_ERRORS } from './errors.ts';

function goError(op: string, path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return `${op} ${path}: ${GO_OS_ERRORS[code] ?? (e as Error).message}`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * One file read: its bytes, or why not. `cause` is the operating system's error (printed in Go's
 * words); without one, `reason` says why the caller's rule refused the file.
 */
export type FileRead =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly cause?: unknown };

export function createFsReader(filesDir: string, readFile: (path: string) => FileRead): LocalFileReader {
  const full = (rel: string) => (rel === '' ? join(filesDir) : join(filesDir, rel));
  return {
    readFile(rel) {
      // The translator already checked; a second check keeps this reader safe on its own.
      if (cleanLocalPath(rel) !== rel) return { ok: false, error: E.filesDirEscape.message };
      const p = full(rel);
      const read = readFile(p);
      if (read.ok) return { ok: true, data: read.data };
      if (read.cause !== undefined) return { ok: false, error: goError('open', p, read.cause) };
      // Go's os.ReadFile opens a directory and fails reading it; other refusals are the caller's own.
      return { ok: false, error: `read ${p}: ${isDirectory(p) ? GO_OS_ERRORS['EISDIR'] : read.reason}` };
    },
    listTree(rel) {
      if (cleanLocalPath(rel) !== rel) return { ok: false, error: E.filesDirEscape.message };
      const root = full(rel);
      try {
        if (!statSync(root).isDirectory()) return { ok: false, error: E.treeNotDirectory.message };
      } catch (e) {
        return { ok: false, error: goError('stat', root, e) };
      }
      const entries: TreeEntry[] = [];
      const walk = (dir: string, prefix: string): void => {
        // filepath.Walk visits names in byte order, depth first.
        const names = readdirSync(dir).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
        for (const name of names) {
          const p = join(dir, name);
          const relPath = prefix === '' ? name : `${prefix}/${name}`;
          const st = lstatSync(p);
          if (st.isDirectory()) walk(p, relPath);
          else if (st.isFile()) entries.push({ path: relPath, kind: 'file', executable: (st.mode & 0o111) !== 0 });
          else if (st.isSymbolicLink()) entries.push({ path: relPath, kind: 'symlink', target: readlinkSync(p) });
          else entries.push({ path: relPath, kind: 'other' });
        }
      };
      try {
        walk(root, '');
      } catch (e) {
        return { ok: false, error: goError('lstat', root, e) };
      }
      return { ok: true, entries };
    },
  };
}
