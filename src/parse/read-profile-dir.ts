/**
 * Finds and reads a project's profile files: every `*.yaml`/`*.yml` below DIR, in sorted order so
 * that results never depend on the file system's listing order. `secrets/` and `templates/` hold
 * non-profile material and are skipped, as are hidden folders.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceFile } from './source-file.ts';
import { boundedReadHint, readBoundedFile } from '../io/bounded-file.ts';
import { describeIoError } from '../io/io-error.ts';
import { displayPath } from '../io/display-path.ts';

const SKIPPED_FOLDERS = new Set(['secrets', 'templates', 'node_modules']);

export interface ReadResult {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
}

export function readProfileDir(dir: string): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const shown = displayPath(dir);
  let stat;
  try {
    stat = statSync(dir);
  } catch (error) {
    diagnostics.push({
      code: 'io/unreadable',
      severity: 'error',
      message: `cannot read profile directory '${shown}': ${describeIoError(error)}`,
      hint: 'pass the folder that holds your profiles (default: ./profiles)',
    });
    return { files: [], diagnostics };
  }
  if (!stat.isDirectory()) {
    diagnostics.push({
      code: 'io/not-a-directory',
      severity: 'error',
      message: `'${shown}' is a file, not a profile directory`,
      hint: 'pass the folder that holds the profile files, not a single file',
    });
    return { files: [], diagnostics };
  }

  const files: SourceFile[] = [];
  for (const full of profilePaths(dir, diagnostics)) {
    const shownFile = displayPath(full);
    const read = readBoundedFile(full);
    if (read.ok) files.push({ path: shownFile, text: read.data.toString('utf8') });
    else {
      diagnostics.push({
        code: read.code,
        severity: 'error',
        message: `cannot read profile file '${shownFile}': ${read.reason}`,
        hint: boundedReadHint(read.code, 'check the file exists and is readable'),
        location: { file: shownFile, line: 1, column: 1 },
      });
    }
  }
  if (files.length === 0 && diagnostics.length === 0) {
    diagnostics.push({
      code: 'io/no-profiles',
      severity: 'error',
      message: `no .yaml files found in '${shown}'`,
      hint: 'a project needs at least a cluster file (kind: Cluster); see profiles/ in the kindling repository for an example',
    });
  }
  return { files, diagnostics };
}

/** Every profile file below `dir`, in sorted order (folders that cannot be listed are reported). */
function* profilePaths(dir: string, diagnostics: Diagnostic[]): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    diagnostics.push({ code: 'io/unreadable', severity: 'error', message: `cannot list '${displayPath(dir)}': ${describeIoError(error)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) yield* profilePaths(full, diagnostics);
    } else if (/\.ya?ml$/.test(entry.name)) yield full;
  }
}
