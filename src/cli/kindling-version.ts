/**
 * kindling's version, read from its package.json so that `--version` can never disagree with the
 * package that was installed. The path is relative to this module, which has the same place under
 * src/, dist/ and the CLI bundle's mirror of src/.
 */
import { readFileSync } from 'node:fs';

export function kindlingVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
