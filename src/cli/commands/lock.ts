/**
 * `kindling lock [DIR]`: pins every artifact the profiles download (flanneld, the flannel CNI
 * plugin and the CNI plugins tarball per arch, remote profile files) by size, sha256 and sha512 in
 * `kindling.lock` beside the cluster file (or `downloads.lockFile`), which builds read.
 *
 * - Downloads go through the profile's mirror when it has one, but are recorded under the release
 *   URL, because that is the key builds look hashes up by.
 * - A re-run re-downloads and verifies every pin: bytes that changed under a pinned URL are drift,
 *   an error, and nothing is written unless --update accepts them. --check verifies and never writes.
 * - The lock file is written only when the run pinned every artifact it was asked for; any failure
 *   leaves it byte for byte as it was (see runLock).
 * - --from-file URL=PATH pins from a local copy (air-gapped sites): no network for that URL.
 */
import { Command } from '@commander-js/extra-typings';
import { existsSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { loadProfile } from '../../load-project.ts';
import { describeIoError, displayPath } from '../../parse/read-profile-dir.ts';
import { ARCHES, collectLockTargets } from '../../lock/collect-targets.ts';
import type { LockTarget } from '../../lock/collect-targets.ts';
import { driftDiagnostics, lockArtifacts, lockFailureDiagnostic } from '../../lock/lock-artifacts.ts';
import { hashLocalFile } from '../../lock/hash-local-file.ts';
import { LOCKFILE_NAME, createLockfile, diffLock, readLockfile, writeLockfile } from '../../lock/lockfile.ts';
import type { LockEntry, Lockfile } from '../../lock/lockfile.ts';
import { createProgressReporter } from '../../lock/progress.ts';
import type { ProgressStream } from '../../lock/progress.ts';
import type { Arch } from '../../validate/profile-types.ts';
import type { ValidatedProfile } from '../../validate/validate-profile.ts';
import { printDiagnostics, processIo, type Io } from '../report.ts';

export interface LockCliOptions {
  readonly arch?: string;
  readonly update?: boolean;
  readonly check?: boolean;
  readonly fromFile?: readonly string[];
  readonly retries?: string;
  readonly timeout?: string;
}

/** Tests inject a fetch; the CLI uses Node's. */
export interface LockRunContext {
  readonly io: Io;
  readonly fetch?: typeof fetch;
  /** Backoff between retries; tests shorten it. */
  readonly backoffMs?: number;
  /** Whether stderr is a terminal (progress bar) — by default, true only for the real process stderr on a TTY. */
  readonly terminal?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function usage(io: Io, message: string): number {
  io.stderr(`kindling lock: ${message}\n(see kindling lock --help)\n`);
  return 2;
}

/** Where builds will look for the lock file (load-project.ts reads the same place). */
export function lockfilePathFor(profile: ValidatedProfile): string {
  const clusterDir = dirname(profile.cluster.doc.file.path);
  const configured = profile.cluster.value.downloads?.lockFile;
  return configured ? resolvePath(clusterDir, configured) : join(clusterDir, LOCKFILE_NAME);
}

function parseArches(text: string): Arch[] | string {
  const arches: Arch[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    if (!(ARCHES as readonly string[]).includes(part)) return `unknown arch ${JSON.stringify(part)}: use ${ARCHES.join(', ')} (comma-separated)`;
    arches.push(part as Arch);
  }
  return arches;
}

/** `URL=PATH`; the split is at the `=` that leaves a URL the profiles reference, else at the first `=`. */
function splitFromFile(spec: string, known: ReadonlySet<string>): { url: string; path: string } | undefined {
  const positions = [...spec.matchAll(/=/g)].map((m) => m.index);
  if (positions.length === 0) return undefined;
  const at = positions.find((i) => known.has(spec.slice(0, i))) ?? positions[0]!;
  const url = spec.slice(0, at);
  const path = spec.slice(at + 1);
  return url === '' || path === '' ? undefined : { url, path };
}


/** `--retries` is a whole number (0 allowed); `--timeout` a positive number of seconds. */
function parseCount(text: string | undefined, name: string, allowZero: boolean, wholeOnly: boolean): number | undefined | string {
  if (text === undefined) return undefined;
  const pattern = wholeOnly ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!pattern.test(text) || (!allowZero && Number(text) === 0)) {
    return `${name} must be ${wholeOnly ? 'a whole number' : 'a positive number'}, not ${JSON.stringify(text)}`;
  }
  return Number(text);
}

export async function runLock(dir: string, options: LockCliOptions, context: LockRunContext): Promise<number> {
  const { io } = context;
  if (options.check === true && options.update === true) return usage(io, '--check verifies without writing; it cannot be combined with --update');
  let arches: Arch[] | undefined;
  if (options.arch !== undefined) {
    const parsed = parseArches(options.arch);
    if (typeof parsed === 'string') return usage(io, parsed);
    arches = parsed;
  }
  const retries = parseCount(options.retries, '--retries', true, true);
  const timeout = parseCount(options.timeout, '--timeout', false, false);
  if (typeof retries === 'string') return usage(io, retries);
  if (typeof timeout === 'string') return usage(io, timeout);

  const loaded = loadProfile(dir);
  if (loaded.profile === undefined || hasErrors(loaded.diagnostics)) {
    printDiagnostics(io, loaded.diagnostics);
    return 1;
  }
  const profile = loaded.profile;
  const collected = collectLockTargets(profile, arches === undefined ? {} : { arches });
  if (hasErrors(collected.diagnostics)) {
    printDiagnostics(io, collected.diagnostics);
    return 1;
  }
  const targets = collected.targets;
  const known = new Set(targets.map((t) => t.url));

  const fromFiles = new Map<string, string>();
  for (const spec of options.fromFile ?? []) {
    const split = splitFromFile(spec, known);
    if (split === undefined) return usage(io, `--from-file takes URL=PATH, not ${JSON.stringify(spec)}`);
    if (!known.has(split.url)) {
      return usage(io, `--from-file: ${split.url} is not an artifact these profiles download; they download:\n  ${[...known].join('\n  ')}`);
    }
    fromFiles.set(split.url, split.path);
  }

  const path = lockfilePathFor(profile);
  let previous: Lockfile = { artifacts: [] };
  if (existsSync(path)) {
    const read = await readLockfile(path);
    if (read.lockfile === undefined) {
      printDiagnostics(io, [...read.diagnostics]);
      return 1;
    }
    previous = read.lockfile;
  }

  const diagnostics: Diagnostic[] = [];
  const entries: LockEntry[] = [];
  /** Artifacts this run could not pin: their download, local copy or profile sha512 failed. */
  const unpinned = new Set<string>();
  for (const [url, file] of fromFiles) {
    const hashed = hashLocalFile(file);
    if (hashed.ok) {
      entries.push({ url, sha256: hashed.sha256, sha512: hashed.sha512, size: hashed.size });
      io.stderr(`pinned ${url} from ${file}\n`);
    } else {
      diagnostics.push({ code: hashed.code, severity: 'error', message: `cannot read ${file} (--from-file for ${url}): ${hashed.reason}`, hint: 'give the path of the downloaded artifact, a regular file' });
      unpinned.add(url);
    }
  }

  const toFetch = targets.filter((t) => !fromFiles.has(t.url));
  const mirror = profile.cluster.value.downloads?.mirror?.url;
  if (mirror !== undefined && toFetch.some((t) => t.mirror !== undefined)) io.stderr(`fetching through the mirror ${withoutUserinfo(mirror)}\n`);
  const stream: ProgressStream = {
    isTTY: context.terminal ?? (io === processIo && process.stderr.isTTY === true),
    ...(io === processIo && process.stderr.columns !== undefined ? { columns: process.stderr.columns } : {}),
    write: (text) => io.stderr(text),
  };
  const result = await lockArtifacts(toFetch, {
    previous,
    reporter: createProgressReporter({ stream }),
    fetchOptions: {
      ...(context.fetch !== undefined ? { fetch: context.fetch } : {}),
      ...(retries !== undefined ? { retries } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
      ...(context.backoffMs !== undefined ? { backoffMs: context.backoffMs } : {}),
    },
  });
  entries.push(...result.lockfile.artifacts);
  diagnostics.push(...result.failures.map(lockFailureDiagnostic));
  for (const failure of result.failures) unpinned.add(failure.url);

  // With --arch only some artifacts were considered: keep the other pins. Without it, the targets
  // are everything the profiles download, and pins for anything else are stale.
  if (arches !== undefined) entries.push(...previous.artifacts.filter((e) => !known.has(e.url)));
  const lockfile = createLockfile(entries);
  const diff = diffLock(previous, lockfile);

  const byUrl = new Map(lockfile.artifacts.map((e) => [e.url, e]));
  for (const target of targets) {
    const problems = profileHashProblems(target, byUrl.get(target.url));
    if (problems.length > 0) unpinned.add(target.url);
    diagnostics.push(...problems);
  }

  const drift = driftDiagnostics(diff);
  const where = displayPath(path);
  if (options.check === true) {
    diagnostics.push(...drift);
    for (const entry of diff.added) {
      diagnostics.push({ code: 'artifact/unpinned', severity: 'error', message: `${entry.url} is not pinned in ${where}`, hint: 'run `kindling lock` to pin it' });
    }
    printDiagnostics(io, diagnostics);
    if (hasErrors(diagnostics)) return 1;
    io.stdout(`${where}: ${diff.unchanged} pin${diff.unchanged === 1 ? '' : 's'} verified\n`);
    return 0;
  }
  // The lock file is written only from a complete, verified set: every artifact of this run pinned
  // (downloaded and checked, or hashed from --from-file) and no error. Otherwise it stays byte for
  // byte as it was: a run that failed can neither drop pins (an empty or shorter file after a
  // network outage) nor mix fresh pins with stale ones, and a re-run starts from the same file.
  const refusedDrift = drift.length > 0 && options.update !== true;
  if (hasErrors(diagnostics) || refusedDrift) {
    printDiagnostics(io, refusedDrift ? [...diagnostics, ...drift] : diagnostics);
    const why = unpinned.size === 0 ? '' : `: ${unpinned.size} artifact${unpinned.size === 1 ? '' : 's'} could not be pinned`;
    io.stderr(`${where} was not changed${why}\n`);
    return 1;
  }
  for (const change of diff.changed) io.stderr(`accepted new hash for ${change.url} (--update)\n`);
  for (const entry of diff.removed) io.stderr(`dropped ${entry.url}: the profiles no longer download it\n`);
  let written: boolean;
  try {
    written = await writeLockfile(path, lockfile);
  } catch (error) {
    printDiagnostics(io, [...diagnostics, { code: 'emit/write-failed', severity: 'error', message: `cannot write ${where}: ${describeIoError(error)}` }]);
    return 1;
  }
  printDiagnostics(io, diagnostics);
  const counts = `${lockfile.artifacts.length} artifact${lockfile.artifacts.length === 1 ? '' : 's'}: ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged`;
  io.stdout(written ? `wrote ${where} (${counts})\n` : `${where} is up to date (${counts})\n`);
  return 0;
}

/** A private mirror's URL may carry a password: never print that part. */
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

export function lockCommand(io: Io, setExit: (code: number) => void) {
  return new Command('lock')
    .summary('download every artifact once and pin its size, sha256 and sha512 in kindling.lock')
    .description(
      'Download every artifact the profiles reference (flanneld, the flannel CNI plugin and the CNI plugins tarball for each ' +
        'arch the nodes use, and remote profile files), check published checksums where upstream has them, and record size, ' +
        'sha256 and sha512 in kindling.lock beside the cluster file (or downloads.lockFile). Builds read it. Downloads go ' +
        'through downloads.mirror when set, but are recorded under the release URL. A re-run verifies every pin and refuses ' +
        'to overwrite one whose bytes changed unless --update is given.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kindling lock                         # pin for the arches the nodes use\n' +
        '  kindling lock --arch amd64,arm64\n' +
        '  kindling lock --check                 # CI: verify the pins, write nothing\n' +
        '  kindling lock --from-file https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64=./flanneld-amd64',
    )
    .argument('[dir]', 'profile directory', 'profiles')
    .option('--arch <list>', `pin for these arches (comma-separated: ${ARCHES.join(', ')}) instead of the nodes' arches`)
    .option('--update', 'accept changed hashes (drift) and overwrite their pins')
    .option('--check', 'verify the existing pins and report drift or missing pins; write nothing')
    .option('--from-file <url=path>', 'pin URL from a local copy instead of downloading it (repeatable)', collect)
    .option('--retries <n>', 'retries per download after the first attempt (default 4)')
    .option('--timeout <seconds>', 'limit per download attempt (default 300)')
    .action(async (dir, options) => {
      setExit(await runLock(dir ?? 'profiles', options, { io }));
    });
}
