/**
 * A `kindling lock` run as a library call, in two steps so that a caller can check its own
 * arguments against the artifacts before anything is downloaded:
 *
 *   loadLockRequest(dir)        load the profile, list the artifacts to pin, find the lock file
 *   runLockRequest(request, o)  pin them (downloads, or local copies), compare, write or verify
 *
 * - Downloads go through the profile's mirror when it has one, but are recorded under the release
 *   URL, because that is the key builds look hashes up by.
 * - A re-run re-downloads and verifies every pin: bytes that changed under a pinned URL are drift,
 *   an error, and nothing is written unless the mode is 'update'. 'check' verifies and never writes.
 * - The lock file is written only when the run pinned every artifact it was asked for; any failure
 *   leaves it byte for byte as it was.
 *
 * Nothing here prints: progress goes to the caller's reporter, notable steps to its onEvent, and
 * the outcome comes back as data with its diagnostics.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { loadProfile } from '../build/load-project.ts';
import { describeIoError } from '../io/io-error.ts';
import { displayPath } from '../io/display-path.ts';
import type { Arch } from '../validate/profile-types.ts';
import type { ValidatedProfile } from '../validate/validate-profile.ts';
import { collectLockTargets } from './collect-targets.ts';
import type { LockTarget } from './collect-targets.ts';
import { hashLocalFile } from './hash-local-file.ts';
import { driftDiagnostics, lockArtifacts, lockFailureDiagnostic } from './lock-artifacts.ts';
import { LOCKFILE_NAME, createLockfile, diffLock, readLockfile, writeLockfile } from './lockfile.ts';
import type { LockDiff, LockEntry, Lockfile } from './lockfile.ts';
import type { ProgressReporter } from './progress.ts';

/** What a lock run pins for one profile directory, and where the pins live. */
export interface LockRequest {
  readonly profile: ValidatedProfile;
  /** Sorted by URL, one per URL. */
  readonly targets: readonly LockTarget[];
  readonly lockfilePath: string;
  /** Collected for chosen arches rather than the nodes' own: pins of other artifacts are kept. */
  readonly partial: boolean;
}

export interface LockRequestOptions {
  /** Pin for these arches instead of the arches the nodes use. */
  readonly arches?: readonly Arch[];
}

/** 'write' pins and writes; 'update' also accepts changed hashes; 'check' verifies and never writes. */
export type LockMode = 'write' | 'update' | 'check';

/** Steps worth telling the user about as they happen (progress of downloads goes to the reporter). */
export type LockEvent =
  | { readonly kind: 'pinned-from-file'; readonly url: string; readonly file: string }
  /** `mirror` is the mirror's URL without any user name or password in it. */
  | { readonly kind: 'fetching-through-mirror'; readonly mirror: string };

export interface RunLockOptions {
  readonly mode: LockMode;
  /** Release URL → path of a local copy to hash instead of downloading (air-gapped sites). */
  readonly fromFiles?: ReadonlyMap<string, string>;
  readonly fetch?: typeof fetch;
  /** Retries per download after the first attempt. */
  readonly retries?: number;
  /** Limit per download attempt. */
  readonly timeoutMs?: number;
  /** Backoff between retries. */
  readonly backoffMs?: number;
  readonly reporter?: ProgressReporter;
  readonly onEvent?: (event: LockEvent) => void;
}

/**
 * - 'unreadable-lockfile': the existing lock file could not be read; nothing was attempted.
 * - 'checked': mode 'check' ran; the pins hold when diagnostics have no error.
 * - 'not-changed': a failure or refused drift; the lock file is as it was.
 * - 'write-failed': everything was pinned but the file could not be written.
 * - 'written' / 'up-to-date': the file now holds the pins (rewritten, or already identical).
 */
export type LockStatus = 'unreadable-lockfile' | 'checked' | 'not-changed' | 'write-failed' | 'written' | 'up-to-date';

export interface LockRunResult {
  readonly status: LockStatus;
  /** Everything to report, in the order to report it. */
  readonly diagnostics: readonly Diagnostic[];
  /** The pins of this run (absent when the lock file was unreadable). */
  readonly lockfile?: Lockfile;
  /** This run's pins against the lock file as it was. */
  readonly diff?: LockDiff;
  /** Release URLs this run could not pin: their download, local copy or profile sha512 failed. */
  readonly unpinned: readonly string[];
}

/** Where builds will look for the lock file (load-project.ts reads the same place). */
export function lockfilePathFor(profile: ValidatedProfile): string {
  const clusterDir = dirname(profile.cluster.doc.file.path);
  const configured = profile.cluster.value.downloads?.lockFile;
  return configured ? resolvePath(clusterDir, configured) : join(clusterDir, LOCKFILE_NAME);
}

/** Loads the profile and lists what to pin; no request when the profile or the listing has errors. */
export function loadLockRequest(dir: string, options: LockRequestOptions = {}): { request?: LockRequest; diagnostics: readonly Diagnostic[] } {
  const loaded = loadProfile(dir);
  if (loaded.profile === undefined || hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics };
  const profile = loaded.profile;
  const collected = collectLockTargets(profile, options.arches === undefined ? {} : { arches: options.arches });
  if (hasErrors(collected.diagnostics)) return { diagnostics: collected.diagnostics };
  return {
    request: { profile, targets: collected.targets, lockfilePath: lockfilePathFor(profile), partial: options.arches !== undefined },
    diagnostics: [],
  };
}

/** Pins the request's artifacts and writes (or, in 'check' mode, verifies) its lock file. */
export async function runLockRequest(request: LockRequest, options: RunLockOptions): Promise<LockRunResult> {
  const { profile, targets, lockfilePath: path } = request;
  const known = new Set(targets.map((t) => t.url));
  const fromFiles = options.fromFiles ?? new Map<string, string>();

  let previous: Lockfile = { artifacts: [] };
  if (existsSync(path)) {
    const read = await readLockfile(path);
    if (read.lockfile === undefined) return { status: 'unreadable-lockfile', diagnostics: [...read.diagnostics], unpinned: [] };
    previous = read.lockfile;
  }

  const diagnostics: Diagnostic[] = [];
  const entries: LockEntry[] = [];
  const unpinned = new Set<string>();
  for (const [url, file] of fromFiles) {
    const hashed = hashLocalFile(file);
    if (hashed.ok) {
      entries.push({ url, sha256: hashed.sha256, sha512: hashed.sha512, size: hashed.size });
      options.onEvent?.({ kind: 'pinned-from-file', url, file });
    } else {
      diagnostics.push({ code: hashed.code, severity: 'error', message: `cannot read ${file} (--from-file for ${url}): ${hashed.reason}`, hint: 'give the path of the downloaded artifact, a regular file' });
      unpinned.add(url);
    }
  }

  const toFetch = targets.filter((t) => !fromFiles.has(t.url));
  const mirror = profile.cluster.value.downloads?.mirror?.url;
  if (mirror !== undefined && toFetch.some((t) => t.mirror !== undefined)) options.onEvent?.({ kind: 'fetching-through-mirror', mirror: withoutUserinfo(mirror) });
  const result = await lockArtifacts(toFetch, {
    previous,
    ...(options.reporter !== undefined ? { reporter: options.reporter } : {}),
    fetchOptions: {
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    },
  });
  entries.push(...result.lockfile.artifacts);
  diagnostics.push(...result.failures.map(lockFailureDiagnostic));
  for (const failure of result.failures) unpinned.add(failure.url);

  // With chosen arches only some artifacts were considered: keep the other pins. Otherwise the
  // targets are everything the profiles download, and pins for anything else are stale.
  if (request.partial) entries.push(...previous.artifacts.filter((e) => !known.has(e.url)));
  const lockfile = createLockfile(entries);
  const diff = diffLock(previous, lockfile);

  const byUrl = new Map(lockfile.artifacts.map((e) => [e.url, e]));
  for (const target of targets) {
    const problems = profileHashProblems(target, byUrl.get(target.url));
    if (problems.length > 0) unpinned.add(target.url);
    diagnostics.push(...problems);
  }
  const done = (status: LockStatus, reported: readonly Diagnostic[]): LockRunResult => ({ status, diagnostics: reported, lockfile, diff, unpinned: [...unpinned] });

  const drift = driftDiagnostics(diff);
  const where = displayPath(path);
  if (options.mode === 'check') {
    diagnostics.push(...drift);
    for (const entry of diff.added) {
      diagnostics.push({ code: 'artifact/unpinned', severity: 'error', message: `${entry.url} is not pinned in ${where}`, hint: 'run `kindling lock` to pin it' });
    }
    return done('checked', diagnostics);
  }
  // The lock file is written only from a complete, verified set: every artifact of this run pinned
  // (downloaded and checked, or hashed from a local copy) and no error. Otherwise it stays byte for
  // byte as it was: a run that failed can neither drop pins (an empty or shorter file after a
  // network outage) nor mix fresh pins with stale ones, and a re-run starts from the same file.
  const refusedDrift = drift.length > 0 && options.mode !== 'update';
  if (hasErrors(diagnostics) || refusedDrift) return done('not-changed', refusedDrift ? [...diagnostics, ...drift] : diagnostics);
  let written: boolean;
  try {
    written = await writeLockfile(path, lockfile);
  } catch (error) {
    return done('write-failed', [...diagnostics, { code: 'emit/write-failed', severity: 'error', message: `cannot write ${where}: ${describeIoError(error)}` }]);
  }
  return done(written ? 'written' : 'up-to-date', diagnostics);
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

/** A sha512 written in the profile (explicit artifact or remote file) must agree with the bytes. */
function profileHashProblems(target: LockTarget, entry: LockEntry | undefined): Diagnostic[] {
  if (target.expectedSha512 === undefined || entry === undefined || entry.sha512 === target.expectedSha512) return [];
  return [
    {
      code: 'artifact/invalid-hash',
      severity: 'error',
      message: `${target.what}: ${target.url} downloads with sha512 ${entry.sha512.slice(0, 16)}… but the profile pins ${target.expectedSha512.slice(0, 16)}…`,
      hint: 'builds use the sha512 in the profile and nodes will refuse these bytes: find out which is right, then fix the profile',
      ...(target.location !== undefined ? { location: target.location } : {}),
    },
  ];
}
