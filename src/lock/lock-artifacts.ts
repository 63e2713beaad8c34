/**
 * The body of `kindling lock`, one artifact at a time (the progress line shows one download; six
 * artifacts do not need parallelism): decide whether the artifact's bytes are needed at all, get
 * them (a local copy, else a download, through the mirror when there is one), verify them, and only
 * then report them pinned. Failures do not stop the run, so every problem is reported at once.
 *
 * Bytes are needed when the artifact has no pin yet, when the mode asks for them ('check' verifies
 * every pin against upstream, 'update' re-pins), when `--from-file` names a copy, or when a mirror
 * folder lacks a verified copy. An artifact already pinned is otherwise kept as it is: a re-run
 * costs no download, and an air-gapped site need not supply every file every time.
 *
 * Verification, in order: the published checksums (pin-artifact.ts), the sha512 the profile states,
 * and the existing pin (a change is drift: an error unless the mode is 'update').
 */
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { describeIoError } from '../io/io-error.ts';
import type { LockTarget } from './collect-targets.ts';
import { ArtifactFetchError } from './fetch-artifact.ts';
import type { FetchArtifactOptions, FetchedArtifact } from './fetch-artifact.ts';
import { hashLocalFile } from './hash-local-file.ts';
import { createLockfile, diffLock } from './lockfile.ts';
import type { LockDiff, LockEntry, Lockfile } from './lockfile.ts';
import { mirrorRelativePath } from './mirror-dir.ts';
import type { MirrorStaging } from './mirror-dir.ts';
import { pinArtifact } from './pin-artifact.ts';
import { ChecksumFileError, ChecksumMismatchError } from './published-checksum.ts';
import type { PublishedChecksum } from './published-checksum.ts';
import type { ProgressReporter } from './progress.ts';

/** 'write' pins what is not pinned yet; 'update' re-pins everything, accepting changes; 'check' verifies every pin and never writes. */
export type LockMode = 'write' | 'update' | 'check';

/** Steps worth telling the user about as they happen (progress of downloads goes to the reporter). */
export type LockEvent =
  | { readonly kind: 'pinned-from-file'; readonly url: string; readonly file: string; readonly option: '--from-file' | '--from-dir' }
  /** `mirror` is the mirror's URL without any user name or password in it. */
  | { readonly kind: 'fetching-through-mirror'; readonly mirror: string };

/** Where `--from-dir` found a target's copy, or why it found none. */
export type FoundCopy = { readonly file: string } | { readonly problem: Diagnostic };

export interface LockArtifactsOptions {
  /** The lock file as it is now; the result's diff is against it. */
  readonly previous?: Lockfile;
  /** Default 'write'. */
  readonly mode?: LockMode;
  readonly reporter?: ProgressReporter;
  readonly fetchOptions?: Omit<FetchArtifactOptions, 'onProgress' | 'onRetry' | 'writeTo'>;
  /** Release URL → a local copy to use instead of downloading (`--from-file`): always read, pinned or not. */
  readonly fromFiles?: ReadonlyMap<string, string>;
  /** Finds a local copy for a target whose bytes are needed (`--from-dir`). */
  readonly findCopy?: (target: LockTarget) => FoundCopy;
  /** Also lay out a verified copy of every artifact builds fetch through the mirror (`--mirror-to`). */
  readonly mirror?: MirrorStaging;
  readonly onEvent?: (event: LockEvent) => void;
}

interface LockFailure {
  readonly url: string;
  readonly error: Error;
}

export interface LockArtifactsResult {
  /**
   * The pins after this run: new and verified ones, kept ones, and a changed one only when the mode
   * accepts it. A target that failed or was rejected keeps its previous entry, if it had one, so
   * the diff does not show a failure as a removal. Whether to write it is the caller's decision.
   */
  readonly lockfile: Lockfile;
  readonly diff: LockDiff;
  /** Failures and rejections, in URL order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Targets whose bytes could not be had or disagree with the profile. */
  readonly unpinned: readonly string[];
  /** Targets whose pin was kept without reading any bytes. */
  readonly kept: readonly string[];
}

type Obtained = { readonly entry: LockEntry; readonly artifact?: FetchedArtifact; readonly file?: string; readonly option?: '--from-file' | '--from-dir'; readonly published: readonly PublishedChecksum[] };

export async function lockArtifacts(targets: readonly LockTarget[], options: LockArtifactsOptions = {}): Promise<LockArtifactsResult> {
  const previous = options.previous ?? { artifacts: [] };
  const previousByUrl = new Map(previous.artifacts.map((e) => [e.url, e]));
  const mode = options.mode ?? 'write';
  const { reporter, mirror } = options;
  const entries: LockEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const unpinned: string[] = [];
  const kept: string[] = [];
  const seen = new Set<string>();
  let toldMirror = false;
  for (const target of [...targets].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))) {
    if (seen.has(target.url)) continue;
    seen.add(target.url);
    const pinned = previousByUrl.get(target.url);
    const keepPrevious = (): void => {
      if (pinned !== undefined) entries.push(pinned);
    };
    const fail = (diagnostic: Diagnostic): void => {
      diagnostics.push(diagnostic);
      unpinned.push(target.url);
      keepPrevious();
    };

    const mirrorPath = mirror !== undefined && target.viaMirror ? mirrorRelativePath(target.url) : undefined;
    if (mirror !== undefined && target.viaMirror && mirrorPath === undefined) {
      fail({ code: 'url/invalid', severity: 'error', message: `${target.url} has a path no mirror folder can hold (an empty, hidden, \`.\` or \`..\` segment, or an encoded slash)`, hint: 'give the artifact a plain release URL', ...located(target) });
      continue;
    }
    const fromFile = options.fromFiles?.get(target.url);
    const mirrorHasCopy = mirrorPath === undefined || (pinned !== undefined && copyMatches(mirror!.destinationOf(mirrorPath), pinned));
    if (mode === 'write' && pinned !== undefined && fromFile === undefined && mirrorHasCopy) {
      entries.push(pinned);
      kept.push(target.url);
      continue;
    }

    let staged: { temp: string; destination: string } | undefined;
    let obtained: Obtained;
    try {
      staged = mirrorPath === undefined ? undefined : mirror!.prepare(mirrorPath);
      let file = fromFile;
      let option: '--from-file' | '--from-dir' = '--from-file';
      if (file === undefined && options.findCopy !== undefined) {
        const found = options.findCopy(target);
        if ('problem' in found) {
          fail(found.problem);
          continue;
        }
        file = found.file;
        option = '--from-dir';
      }
      if (file !== undefined) {
        const hashed = hashLocalFile(file, undefined, staged?.temp);
        if (!hashed.ok) {
          await discard(staged?.temp);
          fail({ code: hashed.code, severity: 'error', message: `cannot read ${file} (${option} for ${target.url}): ${hashed.reason}`, hint: 'give the path of the downloaded artifact, a regular file' });
          continue;
        }
        obtained = { entry: { url: target.url, sha256: hashed.sha256, sha512: hashed.sha512, size: hashed.size }, file, option, published: [] };
      } else {
        if (target.mirror !== undefined && !toldMirror) {
          options.onEvent?.({ kind: 'fetching-through-mirror', mirror: withoutUserinfo(target.mirror.url) });
          toldMirror = true;
        }
        reporter?.start(target.url);
        const result = await pinArtifact(target, {
          ...options.fetchOptions,
          ...(staged !== undefined ? { writeTo: staged.temp } : {}),
          ...(reporter ? { onProgress: reporter.progress, onRetry: reporter.retry } : {}),
        });
        obtained = { entry: result.entry, artifact: result.artifact, published: result.verifiedAgainst };
      }
    } catch (error) {
      await discard(staged?.temp);
      const err = error instanceof Error ? error : new Error(String(error));
      reporter?.fail(target.url, err.message);
      fail(lockFailureDiagnostic({ url: target.url, error: err }));
      continue;
    }

    const { entry } = obtained;
    const rejection = verify(target, entry, pinned, mode, obtained.file);
    if (rejection !== undefined) {
      await discard(staged?.temp);
      if (obtained.file === undefined) reporter?.reject(target.url, rejection.reason);
      diagnostics.push(rejection.diagnostic);
      if (rejection.unpinned) unpinned.push(target.url);
      keepPrevious();
      continue;
    }
    entries.push(entry);
    if (obtained.artifact !== undefined) {
      reporter?.done(obtained.artifact, mode === 'check' ? 'verified' : 'pinned');
    } else if (obtained.file !== undefined) {
      options.onEvent?.({ kind: 'pinned-from-file', url: target.url, file: obtained.file, option: obtained.option ?? '--from-file' });
    }
    if (staged !== undefined) {
      mirror!.keep(staged.temp, staged.destination, 'artifact');
      try {
        // The checksum files a lock through this mirror will ask for, beside the artifact.
        for (const checksum of obtained.published) {
          const releaseUrl = target.checksumUrls?.[checksum.algorithm];
          const path = releaseUrl === undefined ? undefined : mirrorRelativePath(releaseUrl);
          if (path === undefined) continue;
          const copy = mirror!.prepare(path);
          writeFileSync(copy.temp, checksum.text, { mode: 0o644 });
          mirror!.keep(copy.temp, copy.destination, 'checksum');
        }
      } catch (error) {
        diagnostics.push({ code: 'emit/write-failed', severity: 'error', message: `cannot write into ${mirror!.root}: ${describeIoError(error)}` });
      }
    }
  }
  const lockfile = createLockfile(entries);
  return { lockfile, diff: diffLock(previous, lockfile), diagnostics, unpinned, kept };
}

/** Whether the file at `path` is exactly the pinned bytes (a missing or unreadable file is not). */
function copyMatches(path: string, pinned: LockEntry): boolean {
  const hashed = hashLocalFile(path);
  return hashed.ok && hashed.size === pinned.size && hashed.sha256 === pinned.sha256 && hashed.sha512 === pinned.sha512;
}

async function discard(temp: string | undefined): Promise<void> {
  if (temp !== undefined) await rm(temp, { force: true });
}

const located = (target: LockTarget): Pick<Diagnostic, 'location'> => (target.location !== undefined ? { location: target.location } : {});

/** Why the bytes may not be pinned: they disagree with the profile's sha512, or with the pin (unless updating). */
function verify(target: LockTarget, entry: LockEntry, pinned: LockEntry | undefined, mode: LockMode, file: string | undefined): { diagnostic: Diagnostic; reason: string; unpinned: boolean } | undefined {
  if (target.expectedSha512 !== undefined && entry.sha512 !== target.expectedSha512) {
    const what = file === undefined ? 'downloads' : `(the copy at ${file}) has`;
    return {
      reason: 'sha512 differs from the one the profile states',
      unpinned: true,
      diagnostic: {
        code: 'artifact/invalid-hash',
        severity: 'error',
        message: `${target.what}: ${target.url} ${what} with sha512 ${entry.sha512.slice(0, 16)}… but the profile pins ${target.expectedSha512.slice(0, 16)}…`,
        hint: 'builds use the sha512 in the profile and nodes will refuse these bytes: find out which is right, then fix the profile',
        ...located(target),
      },
    };
  }
  if (pinned !== undefined && mode !== 'update' && (pinned.sha256 !== entry.sha256 || pinned.sha512 !== entry.sha512 || pinned.size !== entry.size)) {
    return { reason: 'the bytes differ from the pin in the lock file', unpinned: false, diagnostic: driftDiagnostic(pinned, entry, file) };
  }
  return undefined;
}

/**
 * A failure as a diagnostic for the CLI. There is no dedicated code for a failed download;
 * hash disagreements use artifact/invalid-hash, a hop to plain http url/insecure, everything else
 * io/unreadable.
 */
function lockFailureDiagnostic(failure: LockFailure): Diagnostic {
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
    hint: 'check the network, proxy (HTTPS_PROXY, NO_PROXY) or mirror and run `kindling lock` again; the lock file was left as it was',
  };
}

/** Bytes that differ from their pin (for `kindling lock --check`, or a local copy that is not what was pinned). */
function driftDiagnostic(before: LockEntry, after: LockEntry, file?: string): Diagnostic {
  const from = file === undefined ? '' : ` (the copy at ${file})`;
  return {
    code: 'artifact/invalid-hash',
    severity: 'error',
    message: `${before.url}${from} changed since it was pinned: sha256 ${before.sha256} → ${after.sha256}, size ${before.size} → ${after.size}`,
    hint: 'a release asset should never change: find out why; if the new bytes are right, run `kindling lock --update` to accept the new bytes',
  };
}

/** A private mirror's URL may carry a password: never hand that part out. */
function withoutUserinfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return '<mirror>';
  }
}
