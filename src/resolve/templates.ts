/**
 * Loads the Handlebars templates for unit files and scripts: kindling's own from templates/, each
 * replaceable by a file of the same name in the project's templates/ folder. An override is read
 * like a local file: a regular file inside the project (or an allowed folder), of bounded size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { displayPath } from '../io/display-path.ts';
import { localReadHint, type LocalFileRoots } from './local-files.ts';

const BUILT_IN = fileURLToPath(new URL('../../templates/', import.meta.url));
let builtIn: Record<string, string> | undefined;

function templateNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.hbs')).sort();
  } catch {
    return [];
  }
}

export function loadTemplates(projectDir: string, roots: LocalFileRoots, diagnostics: Diagnostic[]): Record<string, string> {
  builtIn ??= Object.fromEntries(templateNames(BUILT_IN).map((name) => [name.slice(0, -4), readFileSync(join(BUILT_IN, name), 'utf8')]));
  const templates = { ...builtIn };
  const dir = join(projectDir, 'templates');
  for (const name of templateNames(dir)) {
    const path = join(dir, name);
    const read = roots.read(path);
    if (read.ok) {
      templates[name.slice(0, -4)] = read.data.toString('utf8');
      continue;
    }
    const shown = displayPath(path);
    diagnostics.push({
      code: read.code,
      severity: 'error',
      message: `cannot read template override '${shown}': ${read.reason}`,
      hint: localReadHint(read.code, 'template overrides', 'check the file is readable'),
      location: { file: shown, line: 1, column: 1 },
    });
  }
  return templates;
}
