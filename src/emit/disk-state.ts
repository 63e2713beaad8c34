/**
 * Whether an output file on disk is still exactly what kindling wrote, decided from the disk and
 * kept cheap the way git's index does it: beside out/<cluster>/ kindling records each file's size,
 * mode, inode, mtime and ctime as it left them. A file whose stat still matches is taken as
 * unchanged; any other file is read and hashed. ctime cannot be set back from user space (touch
 * sets mtime only), so an edit that restores the mtime is still seen.
 *
 * The record is a cache, never the truth: a missing or unreadable one only means hashing every file.
 */
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../sha256.ts';

/** size, mode, inode, mtime (ms), ctime (ms): what must be unchanged for a file to be trusted. */
type Signature = readonly [number, number, number, number, number];

const VERSION = 1;

/**
 * A file changed within this many milliseconds before its signature was taken could change again
 * within the file system's timestamp granularity without its times moving ("racily clean" in
 * git): such files get no signature and are hashed next time.
 */
const RACY_MS = 50;

export function statePathFor(outDir: string, cluster: string): string {
  return join(outDir, `.${cluster}.state.json`);
}

const signatureOf = (s: Stats): Signature => [s.size, s.mode & 0o7777, s.ino, s.mtimeMs, s.ctimeMs];
const sameSignature = (a: Signature, b: Signature): boolean => a.every((v, i) => v === b[i]);

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export class DiskState {
  private readonly signatures: Map<string, Signature>;
  /** Signatures taken while checking files that had none (or a stale one). */
  private readonly refreshed = new Map<string, Signature>();

  private constructor(
    private readonly clusterDir: string,
    private readonly statePath: string,
    signatures: Map<string, Signature>,
  ) {
    this.signatures = signatures;
  }

  static read(outDir: string, cluster: string): DiskState {
    const statePath = statePathFor(outDir, cluster);
    const clusterDir = join(outDir, cluster);
    let signatures = new Map<string, Signature>();
    try {
      const parsed = JSON.parse(readFileSync(statePath, 'utf8')) as { version?: unknown; files?: unknown };
      if (parsed.version === VERSION && parsed.files && typeof parsed.files === 'object') {
        signatures = new Map(Object.entries(parsed.files as Record<string, Signature>).filter(([, s]) => Array.isArray(s) && s.length === 5));
      }
    } catch {
      // no record yet, or not one we can read: every file is hashed
    }
    return new DiskState(clusterDir, statePath, signatures);
  }

  /** Whether out/<cluster>/<path> is a regular file with exactly these bytes (by size and SHA-256) and this mode (any when undefined). */
  fileIs(path: string, size: number, sha256: string, mode: number | undefined): boolean {
    const full = join(this.clusterDir, path);
    const stat = lstatOrUndefined(full);
    if (!stat || !stat.isFile() || stat.size !== size || (mode !== undefined && (stat.mode & 0o7777) !== mode)) return false;
    const now = signatureOf(stat);
    const known = this.signatures.get(path);
    if (known && sameSignature(known, now)) return true;
    let bytes: Buffer;
    try {
      bytes = readFileSync(full);
    } catch {
      return false;
    }
    if (sha256Hex(bytes) !== sha256) return false;
    this.refreshed.set(path, now);
    return true;
  }

  /** Whether out/<cluster>/<path> is a real folder (not a link) with this mode. */
  folderIs(path: string, mode: number): boolean {
    const stat = lstatOrUndefined(path === '' ? this.clusterDir : join(this.clusterDir, path));
    return stat !== undefined && stat.isDirectory() && (stat.mode & 0o7777) === mode;
  }

  /** Checking found files whose record was missing or stale, but whose bytes were right. */
  get stale(): boolean {
    return this.refreshed.size > 0;
  }

  /** Records the files checked since reading, on top of what was recorded (an unchanged build). */
  saveRefreshed(): void {
    if (!this.stale) return;
    const files = new Map(this.signatures);
    const now = Date.now();
    for (const [path, signature] of this.refreshed) if (!isRacy(signature, now)) files.set(path, signature);
    save(this.statePath, files);
  }

  /** Records every listed file as it is on disk now (after a build replaced the folder). */
  static recordTree(outDir: string, cluster: string, paths: Iterable<string>): void {
    const clusterDir = join(outDir, cluster);
    const files = new Map<string, Signature>();
    const now = Date.now();
    for (const path of paths) {
      const stat = lstatOrUndefined(join(clusterDir, path));
      if (stat?.isFile()) {
        const signature = signatureOf(stat);
        if (!isRacy(signature, now)) files.set(path, signature);
      }
    }
    save(statePathFor(outDir, cluster), files);
  }
}

function isRacy(signature: Signature, now: number): boolean {
  return Math.max(signature[3], signature[4]) > now - RACY_MS;
}

/** Written beside the output and renamed into place, so a reader never sees half a record. */
function save(statePath: string, files: ReadonlyMap<string, Signature>): void {
  const temporary = `${statePath}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ version: VERSION, files: Object.fromEntries(files) })}\n`, { mode: 0o644 });
    renameSync(temporary, statePath);
  } catch {
    // Only a cache: the next build hashes what it cannot trust.
    rmSync(temporary, { force: true });
  }
}
