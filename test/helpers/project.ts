/** Temporary copies of the example project, edited per test, so each bad-input case is one small change. */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const REPO = resolve(import.meta.dirname, '../..');
export const EXAMPLE = join(REPO, 'profiles');

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'kindling-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A copy of the example project; `edits` maps a relative file to new text or to a function of the old text. */
export function exampleProject(edits: Record<string, string | ((text: string) => string)> = {}): string {
  const dir = join(tempDir(), 'profiles');
  cpSync(EXAMPLE, dir, { recursive: true });
  // As a real project keeps it (a git checkout makes the example's fake token 0644, which kindling warns about).
  chmodSync(join(dir, 'secrets/flannel.token'), 0o600);
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      // a new file
    }
    writeFileSync(path, typeof edit === 'string' ? edit : edit(old));
  }
  return dir;
}

/** Replaces exactly one occurrence of `from`, failing loudly if the example changed under the test. */
export function replaceOnce(from: string, to: string): (text: string) => string {
  return (text) => {
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one '${from}' in the example`);
    return text.slice(0, at) + to + text.slice(at + from.length);
  };
}

/**
 * An edit of the example's worker role whose unit and file end in blank lines: the unit becomes
 * keep-chomped (`|+`) with three final newlines, and the role file's text becomes `inline`, written
 * as the body of a YAML double-quoted string (e.g. `worker\\n\\n`).
 */
export function workerRoleEndingInBlankLines(inline: string): (text: string) => string {
  return (text) =>
    replaceOnce('    contents: |\n', '    contents: |+\n')(replaceOnce('      inline: worker\n', `      inline: "${inline}"\n`)(text)).replace(
      'WantedBy=multi-user.target\n',
      'WantedBy=multi-user.target\n\n\n',
    );
}
