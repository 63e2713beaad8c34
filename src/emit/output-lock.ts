/**
 * One build at a time per output folder: an exclusive flock(2) on `<out>/.<cluster>.lock`.
 *
 * Node has no flock of its own, so util-linux's `flock` takes it on a descriptor this process
 * opened and handed down (the shell idiom `exec 3>lock; flock 3`). A flock belongs to the open
 * file description, not to the process that asked for it: the lock stays with this process's
 * descriptor after `flock` exits, and the kernel drops it when the descriptor closes, even when
 * the build is killed. So whoever holds the lock knows every other build of that folder is over,
 * and what such builds left behind (staging folders) is provably dead.
 */
import { closeSync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface OutputLock {
  readonly path: string;
  release(): void;
}

export type LockAttempt = { readonly lock: OutputLock } | { readonly busy: true; readonly path: string } | { readonly error: string; readonly path: string };

/** The lock file of out/<cluster>/: beside it, so that replacing the folder never replaces the lock. */
export function lockPathFor(outDir: string, cluster: string): string {
  return join(outDir, `.${cluster}.lock`);
}

/**
 * Takes the lock, waiting up to `waitSeconds` for another build to finish (`outDir` is made if
 * it is missing).
 */
export function lockOutput(outDir: string, cluster: string, waitSeconds: number): LockAttempt {
  const path = lockPathFor(outDir, cluster);
  // A build that finds the lock file removed and made anew after it opened it would hold a lock
  // nobody else sees: take it again on the file that is there now.
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      // A build that failed after creating the output folder removes it with its lock file while
      // another may wait on that file: the waiting build then makes the folder anew.
      mkdirSync(outDir, { recursive: true });
      fd = openSync(path, 'a', 0o644);
    } catch (error) {
      return { error: `cannot open the lock file: ${(error as Error).message}`, path };
    }
    const run = spawnSync('flock', ['--exclusive', ...(waitSeconds > 0 ? ['--wait', String(waitSeconds)] : ['--nonblock']), '3'], {
      stdio: ['ignore', 'ignore', 'pipe', fd],
      encoding: 'utf8',
    });
    if (run.error || run.status !== 0) {
      closeSync(fd);
      if (run.error) return { error: `cannot run util-linux's flock to lock the output folder (${run.error.message})`, path };
      if (run.status === 1) return { busy: true, path };
      return { error: `flock failed: ${run.stderr.trim() || `exit status ${run.status}`}`, path };
    }
    if (sameFile(fd, path)) {
      let held = true;
      return {
        lock: {
          path,
          release: () => {
            if (held) closeSync(fd);
            held = false;
          },
        },
      };
    }
    closeSync(fd);
  }
  return { error: 'the lock file kept being replaced while kindling waited for it', path };
}

function sameFile(fd: number, path: string): boolean {
  try {
    const open = fstatSync(fd);
    const now = statSync(path);
    return open.ino === now.ino && open.dev === now.dev;
  } catch {
    return false;
  }
}
