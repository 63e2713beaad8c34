/**
 * The body of `kindling lock`: pin every artifact the project downloads, one at a time (the
 * progress line shows one download; six artifacts do not need parallelism), carry on past failures
 * so every problem is reported in one run, and compare the result with the previous lock file.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { ArtifactFetchError } from './fetch-artifact.ts';
import type { FetchArtifactOptions } from './fetch-artifact.ts';
import { createLockfile, diffLock } from './lockfile.ts';
import type { LockDiff, LockEntry, Lockfile } from './lockfile.ts';
import { pinArtifact } from './pin-artifact.ts';
import type { PinTarget } from './pin-artifact.ts';
import { ChecksumFileError, ChecksumMismatchError } from './published-checksum.ts';
import type { ProgressReporter } from './progress.ts';

export interface LockArtifactsOptions {
  /** The lock file as it is now; the result's diff is against it. */
  readonly previous?: Lockfile;
  readonly reporter?: ProgressReporter;
  readonly fetchOptions?: Omit<FetchArtifactOptions, 'onProgress' | 'onRetry'>;
}

export interface LockFailure {
  readonly url: string;
  readonly error: Error;
}

export interface LockArtifactsResult {
  /**
   * Every target that was pinned now. A target that failed keeps its previous entry, if it had one,
   * so the diff does not show a failure as a removal. A changed hash is in here too. Whether to
   * write any of it is the caller's decision: `kindling lock` writes only when `failures` is empty
   * and there is no drift it was not told to accept (see hasDrift(diff)).
   */
  readonly lockfile: Lockfile;
  readonly diff: LockDiff;
  readonly failures: readonly LockFailure[];
}

export async function lockArtifacts(targets: readonly PinTarget[], options: LockArtifactsOptions = {}): Promise<LockArtifactsResult> {
  const previous = options.previous ?? { artifacts: [] };
  const previousByUrl = new Map(previous.artifacts.map((e) => [e.url, e]));
  const reporter = options.reporter;
  const entries: LockEntry[] = [];
  const failures: LockFailure[] = [];
  const seen = new Set<string>();
  for (const target of [...targets].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))) {
    if (seen.has(target.url)) continue;
    seen.add(target.url);
    reporter?.start(target.url);
    try {
      const result = await pinArtifact(target, {
        ...options.fetchOptions,
        ...(reporter ? { onProgress: reporter.progress, onRetry: reporter.retry } : {}),
      });
      reporter?.done(result.artifact);
      entries.push(result.entry);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      reporter?.fail(target.url, err.message);
      failures.push({ url: target.url, error: err });
      const kept = previousByUrl.get(target.url);
      if (kept !== undefined) entries.push(kept);
    }
  }
  const lockfile = createLockfile(entries);
  return { lockfile, diff: diffLock(previous, lockfile), failures };
}

/**
 * A failure as a diagnostic for the CLI. There is no dedicated code for a failed download;
 * hash disagreements use artifact/invalid-hash, a hop to plain http url/insecure, everything else
 * io/unreadable.
 */
export function lockFailureDiagnostic(failure: LockFailure): Diagnostic {
  const { error, url } = failure;
  if (error instanceof ChecksumMismatchError || error instanceof ChecksumFileError) {
    return {
      code: 'artifact/invalid-hash',
      severity: 'error',
      message: error.message,
      hint: 'do not pin this artifact: compare with the release page, and fetch it again from a trusted network',
    };
  }
  if (error instanceof ArtifactFetchError && error.failure === 'insecure') {
    return {
      code: 'url/insecure',
      severity: 'error',
      message: error.message,
      hint: 'a download stays on https at every redirect: serve it over https throughout, or mark the mirror `allowHttp: true` if plain http is intended (hashes still protect the content)',
    };
  }
  if (error instanceof ArtifactFetchError && error.failure === 'not-found') {
    return {
      code: 'io/unreadable',
      severity: 'error',
      message: error.message,
      hint: 'the URL does not exist: check the version and arch, or the mirror serving it',
    };
  }
  return {
    code: 'io/unreadable',
    severity: 'error',
    message: `${url} could not be downloaded: ${error.message}`,
    hint: 'check the network, proxy or mirror and run `kindling lock` again; the lock file was left as it was',
  };
}

/** One error per URL whose bytes changed since it was pinned (for `kindling lock --check` and CI). */
export function driftDiagnostics(diff: LockDiff): Diagnostic[] {
  return diff.changed.map((change) => ({
    code: 'artifact/invalid-hash',
    severity: 'error',
    message: `${change.url} changed since it was pinned: sha256 ${change.before.sha256} → ${change.after.sha256}, size ${change.before.size} → ${change.after.size}`,
    hint: 'a release asset should never change; find out why before accepting the new hash (re-run `kindling lock` to accept it)',
  }));
}
