/**
 * Where a project may read local files from (`contents.local`, template overrides): its own folder,
 * and the folders its Cluster names in `localFiles.allow`. Paths are compared after resolving
 * symlinks on both sides, as `butane --files-dir` does, so neither `..` nor a link inside the
 * project reaches a file elsewhere on the machine (a key, a password file) and puts it into a node
 * config. Reads go through the bounded reader.
 */
import { realpathSync } from 'node:fs';
import { dirname, resolve as resolvePath, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Located } from '../validate/located.ts';
import type { ClusterDoc } from '../validate/profile-types.ts';
import { boundedReadHint, readBoundedFile, type BoundedRead } from '../io/bounded-file.ts';
import { describeIoError } from '../io/io-error.ts';

export type LocalRead = BoundedRead | { readonly ok: false; readonly code: 'io/outside-project'; readonly reason: string };

/** What to do about a refused local read of `what` ("local files", "template overrides"). */
export function localReadHint(code: Exclude<LocalRead, { ok: true }>['code'], what: string, fallback: string): string {
  return code === 'io/outside-project' ? `keep ${what} inside the profile folder, or name their folder in the Cluster's localFiles.allow` : boundedReadHint(code, fallback);
}

export class LocalFileRoots {
  private constructor(private readonly roots: readonly string[]) {}

  /**
   * The project folder and the cluster's allowed folders (relative to the cluster file), each
   * resolved; an allowed folder that cannot be resolved is reported at its entry.
   */
  static of(projectDir: string, cluster: Located<ClusterDoc>, diagnostics: Diagnostic[]): LocalFileRoots {
    const roots = [realpathSync(projectDir)];
    const base = dirname(cluster.doc.file.path);
    (cluster.value.localFiles?.allow ?? []).forEach((folder, i) => {
      try {
        roots.push(realpathSync(resolvePath(base, folder)));
      } catch (error) {
        const path = ['localFiles', 'allow', i];
        diagnostics.push({
          code: 'io/unreadable',
          severity: 'error',
          message: `allowed local-file folder '${folder}': ${describeIoError(error)}`,
          hint: 'name an existing folder (relative to the cluster file) or remove the entry',
          location: cluster.doc.locate(path),
          path,
        });
      }
    });
    return new LocalFileRoots(roots);
  }

  /** The bytes of `path` if, with every symlink resolved, it is a file below one of the roots. */
  read(path: string): LocalRead {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      return { ok: false, code: 'io/unreadable', reason: describeIoError(error) };
    }
    // What it is first (a device or FIFO is refused before it is opened), then where it is.
    const read = readBoundedFile(real);
    if (read.ok && !this.roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) {
      return { ok: false, code: 'io/outside-project', reason: `it resolves to ${real}, outside the project folder and the folders localFiles.allow names` };
    }
    return read;
  }
}
