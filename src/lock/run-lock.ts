/**
 * A `kindling lock` run as a library call, in two steps so that a caller can check its own
 * arguments against the artifacts before anything is downloaded:
 *
 *   loadLockRequest(dir)        load the profile, list the artifacts to pin, find the lock file
 *   runLockRequest(request, o)  pin them (downloads, or local copies), compare, write or verify
 *
 * - Downloads go through the profile's mirror when it has one, but are recorded under the release
 *   URL, because that is the key builds look hashes up by.
 * - A re-run reads no bytes for an artifact already pinned ('write'); 'check' downloads and
 *   verifies every pin and never writes; 'update' re-pins everything. Bytes that changed under a
 *   pinned URL are drift: an error, and nothing is written, unless the mode is 'update'.
 * - Local copies (`fromFiles`, `fromDir`) stand in for downloads; `mirrorTo` lays the verified
 *   bytes out as a mirror folder.
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
import { copyFinder } from './from-dir.ts';
import { lockArtifacts } from './lock-artifacts.ts';
import type { LockEvent, LockMode } from './lock-artifacts.ts';
import { LOCKFILE_NAME, createLockfile, diffLock, readLockfile, writeLockfile } from './lockfile.ts';
import type { LockDiff, Lockfile } from './lockfile.ts';
import { MirrorStaging } from './mirror-dir.ts';
import type { MirroredFile } from './mirror-dir.ts';
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

export interface RunLockOptions {
  readonly mode: LockMode;
  /** Release URL → path of a local copy to hash instead of downloading (air-gapped sites). */
  readonly fromFiles?: ReadonlyMap<string, string>;
  /** A folder of downloaded artifacts to pin from instead of downloading (see from-dir.ts). */
  readonly fromDir?: string;
  /** A folder to lay every artifact builds fetch through `downloads.mirror` out in, verified (see mirror-dir.ts). */
  readonly mirrorTo?: string;
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
  /** Release URLs already pinned whose bytes this run did not need. */
  readonly kept: readonly string[];
  /** Files this run wrote into the `mirrorTo` folder (the ones already there and right are not rewritten). */
  readonly mirrored: readonly MirroredFile[];
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
  const { targets, lockfilePath: path } = request;
  const known = new Set(targets.map((t) => t.url));

  let previous: Lockfile = { artifacts: [] };
  if (existsSync(path)) {
    const read = await readLockfile(path);
    if (read.lockfile === undefined) return { status: 'unreadable-lockfile', diagnostics: [...read.diagnostics], unpinned: [], kept: [], mirrored: [] };
    previous = read.lockfile;
  }

  const mirror = options.mirrorTo === undefined ? undefined : new MirrorStaging(resolvePath(options.mirrorTo));
  const result = await lockArtifacts(targets, {
    previous,
    mode: options.mode,
    ...(options.fromFiles !== undefined ? { fromFiles: options.fromFiles } : {}),
    ...(options.fromDir !== undefined ? { findCopy: copyFinder(options.fromDir, targets) } : {}),
    ...(mirror !== undefined ? { mirror } : {}),
    ...(options.reporter !== undefined ? { reporter: options.reporter } : {}),
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    fetchOptions: {
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    },
  });
  const diagnostics: Diagnostic[] = [...result.diagnostics];

  // With chosen arches only some artifacts were considered: keep the other pins. Otherwise the
  // targets are everything the profiles download, and pins for anything else are stale.
  const entries = [...result.lockfile.artifacts];
  if (request.partial) entries.push(...previous.artifacts.filter((e) => !known.has(e.url)));
  const lockfile = createLockfile(entries);
  const diff = diffLock(previous, lockfile);
  const done = async (status: LockStatus, reported: readonly Diagnostic[], mirrored: readonly MirroredFile[] = []): Promise<LockRunResult> => {
    await mirror?.discard();
    return { status, diagnostics: reported, lockfile, diff, unpinned: result.unpinned, kept: result.kept, mirrored };
  };

  const where = displayPath(path);
  if (options.mode === 'check') {
    for (const entry of diff.added) {
      diagnostics.push({ code: 'artifact/unpinned', severity: 'error', message: `${entry.url} is not pinned in ${where}`, hint: 'run `kindling lock` to pin it' });
    }
    return done('checked', diagnostics);
  }
  // The lock file is written only from a complete, verified set: every artifact of this run pinned
  // (downloaded and checked, or hashed from a local copy, or kept) and no error — drift refused
  // included. Otherwise it stays byte for byte as it was: a run that failed can neither drop pins
  // (an empty or shorter file after a network outage) nor mix fresh pins with stale ones, and a
  // re-run starts from the same file. The mirror folder gets its new files on the same condition.
  if (hasErrors(diagnostics)) return done('not-changed', diagnostics);
  let mirrored: MirroredFile[] = [];
  try {
    mirrored = (await mirror?.commit()) ?? [];
  } catch (error) {
    return done('write-failed', [...diagnostics, { code: 'emit/write-failed', severity: 'error', message: `cannot write into ${displayPath(mirror!.root)}: ${describeIoError(error)}` }]);
  }
  let written: boolean;
  try {
    written = await writeLockfile(path, lockfile);
  } catch (error) {
    return done('write-failed', [...diagnostics, { code: 'emit/write-failed', severity: 'error', message: `cannot write ${where}: ${describeIoError(error)}` }], mirrored);
  }
  return done(written ? 'written' : 'up-to-date', diagnostics, mirrored);
}

