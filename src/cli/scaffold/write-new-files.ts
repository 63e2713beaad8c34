/**
 * Writes a set of files that must all be new: if any exists, nothing is written. Each file is
 * created exclusively (O_EXCL), so one that appears between the check and the write is not
 * overwritten either; then the files written so far are removed again.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeIoError } from '../../io/io-error.ts';

interface NewFile {
  readonly path: string;
  readonly text: string;
  readonly mode: number;
}

export type WriteOutcome = { ok: true } | { ok: false; existing: string } | { ok: false; failed: string; reason: string };

export function writeNewFiles(root: string, files: readonly NewFile[], dirModes: Readonly<Record<string, number>>): WriteOutcome {
  for (const file of files) {
    const path = join(root, file.path);
    if (existsSync(path)) return { ok: false, existing: path };
  }
  const written: string[] = [];
  const createdFolders: string[] = [];
  for (const file of files) {
    const path = join(root, file.path);
    let step: 'folder' | 'file' = 'folder';
    try {
      const folder = dirname(file.path);
      const created = mkdirSync(join(root, folder), { recursive: true, ...(dirModes[folder] !== undefined ? { mode: dirModes[folder] } : {}) });
      if (created !== undefined) createdFolders.push(created);
      step = 'file';
      writeFileSync(path, file.text, { flag: 'wx', mode: file.mode });
      written.push(path);
    } catch (error) {
      for (const done of written) rmSync(done, { force: true });
      // The folders this run created (mkdirSync names the topmost one) held only these files.
      for (const folder of createdFolders.reverse()) rmSync(folder, { recursive: true, force: true });
      if (step === 'file' && (error as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, existing: path };
      const blocked = step === 'folder' && ['EEXIST', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');
      return { ok: false, failed: path, reason: blocked ? 'a file is where its folder would be' : describeIoError(error) };
    }
  }
  return { ok: true };
}
