/**
 * Whether an output file on disk is still exactly what kindling wrote, decided from the disk and
 * kept cheap the way git's index does it: beside out/<cluster>/ kindling records each file's size,
 * mode, inode, mtime and ctime as it left them. A file whose stat still matches is taken as
 * unchanged; any other file is read and hashed. ctime cannot be set back from user space (touch
 * sets mtime only), so an edit that restores the mtime is still seen.
 *
 * The same record keeps, per node, the digest of the inputs its files were built from and what the
 * build reported of it (build/input-digest.ts): a rebuild reuses a node whose digest is unchanged and
 * whose files are still as recorded, without planning or rendering it. The digests are made from
 * secret-bearing inputs, so the record is private to the builder (0600).
 *
 * The record is a cache, never the truth: a missing or unreadable one only means hashing every file
 * and building every node.
 */
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../sha256.ts';

/** size, mode, inode, mtime (ms), ctime (ms): what must be unchanged for a file to be trusted. */
type Signature = readonly [number, number, number, number, number];

const VERSION = 2;

/** What the build says of a node it built: the digest of its inputs and what it reported. */
export interface NodeInputs {
  /** The digest of the node's inputs (build/input-digest.ts). */
  readonly digest: string;
  /** What the build reported of the node (plain JSON, the build's own shape), replayed on reuse. */
  readonly report: unknown;
}

/** What a build recorded of one node: enough to reuse it without building it again. */
export interface NodeRecord extends NodeInputs {
  /** The mode of each of the node's files, in the order of their paths. */
  readonly modes: readonly number[];
}

function isNodeRecord(value: unknown): value is NodeRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { digest, modes } = value as Partial<NodeRecord>;
  return typeof digest === 'string' && Array.isArray(modes) && modes.every((m) => Number.isInteger(m));
}

/**
 * A file changed within this many milliseconds before its signature was taken could change again
 * within the file system's timestamp granularity without its times moving ("racily clean" in
 * git): such files get no signature and are hashed next time.
 */
const RACY_MS = 50;

function statePathFor(outDir: string, cluster: string): string {
  return join(outDir, `.${cluster}.state.json`);
}

/** lstat() answers gathered ahead, each given once: the entry's stat, null when it did not exist, undefined when not asked. */
export interface PrefetchedStats {
  take(path: string): EntryStat | null | undefined;
}

/** What kindling needs of an lstat(): the entry's type and what its signature is made of. */
export interface EntryStat {
  readonly type: 'file' | 'folder' | 'other';
  readonly size: number;
  readonly mode: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly gid: number;
}

const signatureOf = (s: EntryStat): Signature => [s.size, s.mode & 0o7777, s.ino, s.mtimeMs, s.ctimeMs];
const sameSignature = (a: Signature, b: Signature): boolean => a.every((v, i) => v === b[i]);

function entryStat(s: Stats): EntryStat {
  return { type: s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other', size: s.size, mode: s.mode, ino: s.ino, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, gid: s.gid };
}

function lstatOrUndefined(path: string): EntryStat | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return stat === undefined ? undefined : entryStat(stat);
}

export class DiskState {
  private readonly signatures: Map<string, Signature>;
  /** Signatures taken while checking files that had none (or a stale one). */
  private readonly refreshed = new Map<string, Signature>();

  private constructor(
    private readonly clusterDir: string,
    private readonly statePath: string,
    signatures: Map<string, Signature>,
    private readonly nodes: ReadonlyMap<string, NodeRecord>,
    /**
     * SHA-256 of the manifest.json the build that recorded this wrote: the manifest lies in the
     * output, so its entries (sizes, hashes, node facts) are trusted for reusing nodes only while
     * it is still exactly that text.
     */
    readonly manifestSha256: string | undefined,
  ) {
    this.signatures = signatures;
  }

  /**
   * Answers lstat() gathered in one pass beside the build's loading (build/parallel/prefetch-stats.ts),
   * by path relative to out/<cluster>/ ('' for the folder itself; undefined: no such entry). Each is
   * used once, by the first check of its entry; anything not in it is asked of the disk.
   */
  private prefetched: PrefetchedStats | undefined;

  usePrefetched(stats: PrefetchedStats): void {
    this.prefetched = stats;
  }

  private lstat(path: string): EntryStat | undefined {
    const answer = this.prefetched?.take(path);
    if (answer !== undefined) return answer === null ? undefined : answer;
    return lstatOrUndefined(path === '' ? this.clusterDir : join(this.clusterDir, path));
  }

  /** What the previous build recorded of a node, if anything. */
  nodeRecord(name: string): NodeRecord | undefined {
    return this.nodes.get(name);
  }

  static read(outDir: string, cluster: string): DiskState {
    const statePath = statePathFor(outDir, cluster);
    const clusterDir = join(outDir, cluster);
    let signatures = new Map<string, Signature>();
    let nodes = new Map<string, NodeRecord>();
    let manifestSha256: string | undefined;
    try {
      const parsed = JSON.parse(readFileSync(statePath, 'utf8')) as { version?: unknown; files?: unknown; nodes?: unknown; manifest?: unknown };
      if (parsed.version === VERSION && typeof parsed.manifest === 'string') manifestSha256 = parsed.manifest;
      if (parsed.version === VERSION && parsed.files && typeof parsed.files === 'object') {
        const files = parsed.files as Record<string, unknown>;
        for (const path in files) {
          const signature = files[path];
          if (Array.isArray(signature) && signature.length === 5) signatures.set(path, signature as unknown as Signature);
        }
      }
      if (parsed.version === VERSION && parsed.nodes && typeof parsed.nodes === 'object') {
        const records = parsed.nodes as Record<string, unknown>;
        for (const name in records) {
          const record = records[name];
          if (isNodeRecord(record)) nodes.set(name, record);
        }
      }
    } catch {
      // no record yet, or not one we can read: every file is hashed, every node built
    }
    return new DiskState(clusterDir, statePath, signatures, nodes, manifestSha256);
  }

  /**
   * Whether out/<cluster>/<path> is still, by its stat, the file this record describes (size, mode,
   * inode, mtime and ctime unchanged since it was recorded).
   */
  unchangedSinceRecorded(path: string): boolean {
    const known = this.signatures.get(path);
    const stat = this.lstat(path);
    return known !== undefined && stat !== undefined && stat.type === 'file' && sameSignature(known, signatureOf(stat));
  }

  /**
   * Whether out/<cluster>/<path> is a regular file with exactly these bytes (by size and SHA-256),
   * this mode and this group (either any when undefined).
   */
  fileIs(path: string, size: number, sha256: string, mode: number | undefined, gid?: number): boolean {
    const full = join(this.clusterDir, path);
    const stat = this.lstat(path);
    if (!stat || stat.type !== 'file' || stat.size !== size || (mode !== undefined && (stat.mode & 0o7777) !== mode) || (gid !== undefined && stat.gid !== gid)) return false;
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

  /** Whether out/<cluster>/<path> is a real folder (not a link) with this mode and this group (any when undefined). */
  folderIs(path: string, mode: number, gid?: number): boolean {
    const stat = this.lstat(path);
    return stat !== undefined && stat.type === 'folder' && (stat.mode & 0o7777) === mode && (gid === undefined || stat.gid === gid);
  }

  /** Checking found files whose record was missing or stale, but whose bytes were right. */
  get stale(): boolean {
    return this.refreshed.size > 0;
  }

  /**
   * After a build that wrote nothing: records the files checked since reading on top of what was
   * recorded, and the nodes as this build saw them.
   */
  saveRefreshed(nodes: ReadonlyMap<string, NodeRecord>, manifestSha256: string): void {
    if (!this.stale && sameRecords(this.nodes, nodes) && manifestSha256 === this.manifestSha256) return;
    const files = new Map(this.signatures);
    const now = Date.now();
    for (const [path, signature] of this.refreshed) if (!isRacy(signature, now)) files.set(path, signature);
    save(this.statePath, files, nodes, manifestSha256);
  }

  /** Records every listed file as it is on disk now (after a build replaced the folder), and the nodes built. */
  static recordTree(outDir: string, cluster: string, paths: Iterable<string>, nodes: ReadonlyMap<string, NodeRecord>, manifestSha256: string): void {
    const clusterDir = join(outDir, cluster);
    const files = new Map<string, Signature>();
    const now = Date.now();
    for (const path of paths) {
      const stat = lstatOrUndefined(join(clusterDir, path));
      if (stat?.type === 'file') {
        const signature = signatureOf(stat);
        if (!isRacy(signature, now)) files.set(path, signature);
      }
    }
    save(statePathFor(outDir, cluster), files, nodes, manifestSha256);
  }
}

function sameRecords(a: ReadonlyMap<string, NodeRecord>, b: ReadonlyMap<string, NodeRecord>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, record] of b) if (a.get(name) !== record) return false;
  return true;
}

function isRacy(signature: Signature, now: number): boolean {
  return Math.max(signature[3], signature[4]) > now - RACY_MS;
}

/** Written beside the output and renamed into place, so a reader never sees half a record. */
function save(statePath: string, files: ReadonlyMap<string, Signature>, nodes: ReadonlyMap<string, NodeRecord>, manifestSha256: string | undefined): void {
  const temporary = `${statePath}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ version: VERSION, files: Object.fromEntries(files), nodes: Object.fromEntries(nodes), ...(manifestSha256 ? { manifest: manifestSha256 } : {}) })}\n`, { mode: 0o600 });
    renameSync(temporary, statePath);
  } catch {
    // Only a cache: the next build hashes what it cannot trust.
    rmSync(temporary, { force: true });
  }
}
