/**
 * `kindling lock [DIR]`: pins every artifact the profiles download (flanneld, the flannel CNI
 * plugin and the CNI plugins tarball per arch, remote profile files) by size, sha256 and sha512 in
 * `kindling.lock` beside the cluster file (or `downloads.lockFile`), which builds read. The run
 * itself is the library's (lock/run-lock.ts); this file parses the options and prints.
 */
import { statSync } from 'node:fs';
import { relative, resolve as resolvePath, sep } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { displayPath } from '../../io/display-path.ts';
import { ARCHES } from '../../lock/collect-targets.ts';
import { createProgressReporter } from '../../lock/progress.ts';
import type { ProgressStream } from '../../lock/progress.ts';
import { proxyAwareTransport } from '../../lock/proxy-fetch.ts';
import type { LockEvent } from '../../lock/lock-artifacts.ts';
import type { MirroredFile } from '../../lock/mirror-dir.ts';
import { loadLockRequest, runLockRequest } from '../../lock/run-lock.ts';
import type { LockRunResult } from '../../lock/run-lock.ts';
import type { Arch } from '../../validate/profile-types.ts';
import { jsonReport, printDiagnostics, processIo, type Io } from '../report.ts';

interface LockCliOptions {
  readonly arch?: string;
  readonly update?: boolean;
  readonly check?: boolean;
  readonly fromFile?: readonly string[];
  readonly fromDir?: string;
  readonly mirrorTo?: string;
  readonly retries?: string;
  readonly timeout?: string;
  /** 'text' (default) or 'json' (commander checks the choice). */
  readonly format?: string;
}

/** Tests inject a fetch; the CLI uses undici's with the proxy its environment names. */
interface LockRunContext {
  readonly io: Io;
  readonly fetch?: typeof fetch;
  /** Where the proxy variables are read (default: the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
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

function describeEvent(event: LockEvent): string {
  return event.kind === 'pinned-from-file' ? `pinned ${event.url} from ${event.file} (${event.option})\n` : `fetching through the mirror ${event.mirror}\n`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The fields of `--format json` besides ok and diagnostics (src/cli/report.ts adds those). */
const EMPTY_REPORT = { status: '', lockFile: null, artifacts: [], added: [], changed: [], removed: [], unchanged: 0, kept: [], unpinned: [] };

function lockReport(result: LockRunResult, lockFile: string, mirrorTo: string | undefined): Record<string, unknown> {
  const urls = (entries: readonly { url: string }[] | undefined): string[] => (entries ?? []).map((e) => e.url);
  const root = mirrorTo === undefined ? undefined : resolvePath(mirrorTo);
  return {
    status: result.status,
    lockFile,
    artifacts: result.lockfile?.artifacts ?? [],
    added: urls(result.diff?.added),
    changed: urls(result.diff?.changed),
    removed: urls(result.diff?.removed),
    unchanged: result.diff?.unchanged ?? 0,
    kept: result.kept,
    unpinned: result.unpinned,
    // Paths inside the mirror folder, as a web server over it serves them.
    ...(root === undefined ? {} : { mirrorTo: displayPath(root), mirrored: result.mirrored.map((f) => ({ path: relative(root, f.path).split(sep).join('/'), kind: f.kind })) }),
  };
}

/** What --mirror-to did, and what it leaves to other hosts. */
function describeMirror(dir: string, mirrored: readonly MirroredFile[], ownHost: number): string {
  const where = displayPath(resolvePath(dir));
  const artifacts = mirrored.filter((f) => f.kind === 'artifact').length;
  const checksums = mirrored.length - artifacts;
  const line = mirrored.length === 0 ? `${where} already holds every artifact builds fetch through downloads.mirror` : `mirrored ${plural(artifacts, 'artifact')} and ${plural(checksums, 'checksum file')} into ${where}`;
  const rest = ownHost === 0 ? '' : ` (${plural(ownHost, 'remote profile file')} ${ownHost === 1 ? 'is' : 'are'} fetched from ${ownHost === 1 ? 'its' : 'their'} own URL, not the mirror)`;
  return `${line}${rest}\n`;
}

export async function runLock(dir: string, options: LockCliOptions, context: LockRunContext): Promise<number> {
  const { io } = context;
  const json = options.format === 'json';
  if (options.check === true && options.update === true) return usage(io, '--check verifies without writing; it cannot be combined with --update');
  if (options.check === true && options.mirrorTo !== undefined) return usage(io, '--check verifies without writing; it cannot be combined with --mirror-to');
  if (options.fromDir !== undefined && !isDirectory(options.fromDir)) return usage(io, `--from-dir: ${options.fromDir} is not a folder`);
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

  const loaded = loadLockRequest(dir, arches === undefined ? {} : { arches });
  if (loaded.request === undefined) {
    if (json) io.stdout(jsonReport({ ...EMPTY_REPORT, status: 'invalid' }, loaded.diagnostics, false));
    else printDiagnostics(io, loaded.diagnostics);
    return 1;
  }
  const request = loaded.request;
  const known = new Set(request.targets.map((t) => t.url));
  const fromFiles = new Map<string, string>();
  for (const spec of options.fromFile ?? []) {
    const split = splitFromFile(spec, known);
    if (split === undefined) return usage(io, `--from-file takes URL=PATH, not ${JSON.stringify(spec)}`);
    if (!known.has(split.url)) {
      return usage(io, `--from-file: ${split.url} is not an artifact these profiles download; they download:\n  ${[...known].join('\n  ')}`);
    }
    fromFiles.set(split.url, split.path);
  }

  const stream: ProgressStream = {
    isTTY: context.terminal ?? (io === processIo && process.stderr.isTTY === true),
    ...(io === processIo && process.stderr.columns !== undefined ? { columns: process.stderr.columns } : {}),
    write: (text) => io.stderr(text),
  };
  const transport = context.fetch === undefined ? proxyAwareTransport(context.env ?? process.env) : undefined;
  const result = await runLockRequest(request, {
    mode: options.check === true ? 'check' : options.update === true ? 'update' : 'write',
    fromFiles,
    ...(options.fromDir !== undefined ? { fromDir: options.fromDir } : {}),
    ...(options.mirrorTo !== undefined ? { mirrorTo: options.mirrorTo } : {}),
    reporter: createProgressReporter({ stream }),
    onEvent: (event) => io.stderr(describeEvent(event)),
    fetch: context.fetch ?? transport!.fetch,
    ...(retries !== undefined ? { retries } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(context.backoffMs !== undefined ? { backoffMs: context.backoffMs } : {}),
  }).finally(() => transport?.close());

  const where = displayPath(request.lockfilePath);
  const { diff, lockfile } = result;
  const failed = result.status === 'unreadable-lockfile' || result.status === 'not-changed' || result.status === 'write-failed' || hasErrors(result.diagnostics);
  if (json) {
    io.stdout(jsonReport(lockReport(result, where, options.mirrorTo), result.diagnostics, false));
    return failed ? 1 : 0;
  }
  if (result.status === 'unreadable-lockfile' || diff === undefined || lockfile === undefined) {
    printDiagnostics(io, result.diagnostics);
    return 1;
  }
  if (result.status === 'checked') {
    printDiagnostics(io, result.diagnostics);
    if (hasErrors(result.diagnostics)) return 1;
    io.stdout(`${where}: ${plural(diff.unchanged, 'pin')} verified\n`);
    return 0;
  }
  if (result.status === 'not-changed') {
    printDiagnostics(io, result.diagnostics);
    const why = result.unpinned.length === 0 ? '' : `: ${plural(result.unpinned.length, 'artifact')} could not be pinned`;
    io.stderr(`${where} was not changed${why}\n`);
    return 1;
  }
  for (const change of diff.changed) io.stderr(`accepted new hash for ${change.url} (--update)\n`);
  for (const entry of diff.removed) io.stderr(`dropped ${entry.url}: the profiles no longer download it\n`);
  printDiagnostics(io, result.diagnostics);
  if (result.status === 'write-failed') return 1;
  const counts = `${plural(lockfile.artifacts.length, 'artifact')}: ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged`;
  io.stdout(result.status === 'written' ? `wrote ${where} (${counts})\n` : `${where} is up to date (${counts})\n`);
  if (options.mirrorTo !== undefined) io.stdout(describeMirror(options.mirrorTo, result.mirrored, request.targets.filter((t) => !t.viaMirror).length));
  return 0;
}

export function lockCommand(io: Io, setExit: (code: number) => void) {
  return new Command('lock')
    .summary('download every artifact once and pin its size, sha256 and sha512 in kindling.lock')
    .description(
      'Download every artifact the profiles reference (flanneld, the flannel CNI plugin and the CNI plugins tarball for each ' +
        'arch the nodes use, and remote profile files), check published checksums where upstream has them, and record size, ' +
        'sha256 and sha512 in kindling.lock beside the cluster file (or downloads.lockFile). Builds read it. Downloads go ' +
        'through downloads.mirror when set, but are recorded under the release URL, and honour HTTPS_PROXY, HTTP_PROXY and ' +
        'NO_PROXY. A re-run downloads only what is not pinned yet; --check downloads and verifies every pin, --update re-pins ' +
        'everything and accepts changed bytes.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kindling lock                         # pin for the arches the nodes use\n' +
        '  kindling lock --arch amd64,arm64\n' +
        '  kindling lock --check                 # CI: verify the pins, write nothing\n' +
        '  kindling lock --mirror-to mirror/     # online: pin, and lay the artifacts out for downloads.mirror\n' +
        '  kindling lock --from-dir mirror/      # air-gapped: pin from that folder, no network\n' +
        '  kindling lock --from-file https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64=./flanneld-amd64',
    )
    .argument('[dir]', 'profile directory', 'profiles')
    .option('--arch <list>', `pin for these arches (comma-separated: ${ARCHES.join(', ')}) instead of the nodes' arches`)
    .option('--update', 'accept changed hashes (drift) and overwrite their pins')
    .option('--check', 'verify the existing pins and report drift or missing pins; write nothing')
    .option('--from-file <url=path>', 'pin URL from a local copy instead of downloading it (repeatable)', collect)
    .option('--from-dir <dir>', 'pin what is not pinned yet from the downloaded files in DIR (at DIR/<path of the URL>, or DIR/<file name>) instead of downloading')
    .option('--mirror-to <dir>', 'also write every artifact builds fetch through downloads.mirror into DIR, in the release layout, verified against its pin')
    .addOption(
      new Option('--format <format>', 'json: one report {ok, status, lockFile, artifacts, added, changed, removed, unchanged, kept, unpinned, diagnostics} on stdout (progress stays on stderr)')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--retries <n>', 'retries per download after the first attempt (default 4)')
    .option('--timeout <seconds>', 'limit per download attempt (default 300)')
    .action(async (dir, options) => {
      setExit(await runLock(dir ?? 'profiles', options, { io }));
    });
}
