/** Writes a file that holds a credential: mode 0600 whatever the umask, never half-written. */
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeIoError } from '../io/io-error.ts';

export type SecretWrite = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Writes `text` to `path` with mode 0600, replacing any previous file atomically: a temporary file
 * is created with that mode (so no other user can open it in between) and renamed over the target.
 */
export function writeSecretFile(path: string, text: string): SecretWrite {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
    return { ok: true };
  } catch (error) {
    rmSync(temp, { force: true });
    return { ok: false, reason: describeIoError(error) };
  }
}
