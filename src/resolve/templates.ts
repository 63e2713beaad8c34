/**
 * Loads the Handlebars templates for unit files and scripts: kindling's own from templates/, each
 * replaceable by a file of the same name in the project's templates/ folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILT_IN = fileURLToPath(new URL('../../templates/', import.meta.url));
let builtIn: Record<string, string> | undefined;

function readTemplates(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (name.endsWith('.hbs')) out[name.slice(0, -4)] = readFileSync(join(dir, name), 'utf8');
  }
  return out;
}

export function loadTemplates(projectDir: string): Record<string, string> {
  builtIn ??= readTemplates(BUILT_IN);
  return { ...builtIn, ...readTemplates(join(projectDir, 'templates')) };
}
