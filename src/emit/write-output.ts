/**
 * The emit stage: writes out/<cluster>/ atomically, streaming node by node.
 *
 * - One build at a time per output folder (output-lock.ts); whoever holds the lock removes what
 *   interrupted builds left behind.
 * - out/<cluster>/ must be kindling's (output-place.ts): a folder kindling did not write is
 *   refused, and entries a person added inside an output are carried over (foreign-entries.ts).
 * - Each node's files are compared with the previous build's manifest (sizes and sha256) and with
 *   the disk (disk-state.ts: content, mode, folders), so an edited, deleted or widened file is
 *   written again. A build that changes nothing writes nothing.
 * - A node whose inputs did not change since the previous build (the same input digest) is reused
 *   without being built, once its files are found on disk as recorded (reuseNode).
 * - Changed nodes are written at once into a staging folder beside the output (created on the
 *   first change), so a 10,000-node build never holds every file in memory.
 * - On commit, unchanged nodes are hard-linked from the previous output into the staging folder,
 *   the manifest is written, and the staging folder is swapped in with renames. A failed or
 *   interrupted build leaves the previous output exactly as it was.
 *
 * Where each file goes and with what mode is the layout's decision (delivery/output-layout.ts).
 */
import { chmodSync, chownSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../sha256.ts';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { describeIoError } from '../io/io-error.ts';
import { displayPath } from '../io/display-path.ts';
import { MANIFEST_NAME, manifestJson, readManifestAndText, type Manifest, type ManifestArtifact, type ManifestNode } from './manifest.ts';
import type { NodeBuild } from '../build/build-node.ts';
import { lockOutput, lockPathFor, type OutputLock } from './output-lock.ts';
import { checkOutputApart, checkOutputIsOurs } from './output-place.ts';
import { DiskState, type NodeInputs, type NodeRecord, type PrefetchedStats } from './disk-state.ts';
import { carryForeignEntries, findForeignEntries, ForeignEntryError } from './foreign-entries.ts';
import { FOLDER_MODE, folderModeOf, manifestNode, MANIFEST_MODE, NODES_FOLDER, nodeOutputFiles, PRIVATE_OUTPUT, type OutputAccess } from '../delivery/output-layout.ts';

export interface OutputFile {
  /** Relative to out/<cluster>/, with '/' separators. */
  readonly path: string;
  readonly data: string | Uint8Array;
  readonly mode: number;
  readonly kind: string;
  /** SHA-256 (hex) of the bytes, when already known; computed here otherwise. */
  readonly sha256?: string;
  /** `data` as UTF-8 bytes, when the stage that made it already encoded it (encoded here otherwise). */
  readonly bytes?: Uint8Array;
}

/** A file's bytes: its text encoded as UTF-8, once. */
function fileBytes(file: Pick<OutputFile, 'data' | 'bytes'>): Uint8Array {
  return file.bytes ?? (typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data);
}

export interface WriterOptions {
  readonly outDir: string;
  readonly cluster: string;
  /** Nodes not added in this build keep their previous output (a `--node` build). */
  readonly partial: boolean;
  /** The profile folder the build reads: the output may not overlap it. */
  readonly projectDir?: string;
  /** How long to wait for another build of the same output folder (default 60 s; 0: fail at once). */
  readonly lockWaitSeconds?: number;
  /** File writer; tests inject one that fails midway to prove the swap is atomic. */
  readonly writeFile?: (path: string, data: Uint8Array, mode: number) => void;
}

export interface EmitResult {
  readonly changed: boolean;
  readonly clusterDir: string;
  readonly files: number;
  readonly diagnostics: Diagnostic[];
}

const DEFAULT_LOCK_WAIT_SECONDS = 60;

export class OutputWriter {
  readonly clusterDir: string;
  private readonly previous: Map<string, ManifestArtifact>;
  private readonly previousByNode = new Map<string, ManifestArtifact[]>();
  private readonly previousNodes: Map<string, ManifestNode>;
  private readonly artifacts: ManifestArtifact[] = [];
  private readonly nodes: ManifestNode[] = [];
  private readonly reused = new Set<string>();
  /** Nodes reuseNode kept: made by this very code (their digests say so) and listed as the previous manifest lists them. */
  private reusedByRecord = 0;
  /** What this build records of each node for the next one (disk-state.ts). */
  private readonly records = new Map<string, NodeRecord>();
  /** Cluster-level files of the previous build kept by a partial build. */
  private readonly keptFiles = new Set<string>();
  private readonly addedFiles = new Set<string>();
  private readonly seenNodes = new Set<string>();
  /** Folders of the previous output already found to be real folders with the right mode. */
  private readonly soundFolders = new Map<string, boolean>();
  private readonly token = `${process.pid}-${Date.now().toString(36)}`;
  /** Who may read what this build writes (output-layout.ts); set by grantAccess before the first node. */
  private access: OutputAccess = PRIVATE_OUTPUT;
  private staging: string | undefined;
  private files: StagingFiles | undefined;
  private changed: boolean;

  /**
   * Opens out/<cluster>/ for a build: checks that it may be written, takes the lock, clears what
   * interrupted builds left, and reads the previous manifest. Diagnostics instead when the build
   * must not write there.
   */
  static open(options: WriterOptions): OutputWriter | Diagnostic[] {
    const clusterDir = join(options.outDir, options.cluster);
    if (options.projectDir !== undefined) {
      const overlap = checkOutputApart(options.outDir, options.cluster, options.projectDir);
      if (overlap) return [overlap];
    }
    const createdOutDir = !existsSync(options.outDir);
    const undo = (): void => {
      if (createdOutDir) removeCreatedOutDir(options.outDir, options.cluster);
    };
    try {
      mkdirSync(options.outDir, { recursive: true });
    } catch (error) {
      return [writeFailure(clusterDir, error)];
    }
    const attempt = lockOutput(options.outDir, options.cluster, options.lockWaitSeconds ?? DEFAULT_LOCK_WAIT_SECONDS);
    if (!('lock' in attempt)) {
      undo();
      const busy = 'busy' in attempt;
      return [
        {
          code: busy ? 'emit/output-locked' : 'emit/write-failed',
          severity: 'error',
          message: busy
            ? `another kindling build is writing '${displayPath(clusterDir)}' (it holds ${displayPath(attempt.path)})`
            : `cannot lock '${displayPath(clusterDir)}' for this build: ${attempt.error}`,
          hint: busy ? 'wait for that build to finish, then build again; nothing was written' : 'nothing was written',
        },
      ];
    }
    const { lock } = attempt;
    try {
      removeStale(options.outDir, options.cluster);
      const read = readManifestAndText(clusterDir);
      const refused = checkOutputIsOurs(clusterDir, options.cluster, read?.manifest);
      if (refused) {
        lock.release();
        undo();
        return [refused];
      }
      return new OutputWriter(options, lock, read?.manifest, read?.text, createdOutDir);
    } catch (error) {
      lock.release();
      undo();
      return [writeFailure(clusterDir, error)];
    }
  }

  private diskState: DiskState | undefined;

  /**
   * The record beside the output, read on first use rather than when the output opens: a rebuild
   * starts checking the previous output's entries on another thread as soon as it knows them (from
   * the manifest), and reads the record meanwhile.
   */
  private get disk(): DiskState {
    return (this.diskState ??= DiskState.read(this.options.outDir, this.options.cluster));
  }

  private constructor(
    private readonly options: WriterOptions,
    private readonly lock: OutputLock,
    private readonly manifest: Manifest | undefined,
    /** The previous manifest's text, when there is one. */
    private readonly manifestText: Buffer | undefined,
    private readonly createdOutDir: boolean,
  ) {
    this.clusterDir = join(options.outDir, options.cluster);
    this.previous = new Map((manifest?.artifacts ?? []).map((a) => [a.path, a]));
    this.previousNodes = new Map((manifest?.nodes ?? []).map((n) => [n.name, n]));
    for (const artifact of this.previous.values()) {
      if (!artifact.node) continue;
      const list = this.previousByNode.get(artifact.node) ?? [];
      list.push(artifact);
      this.previousByNode.set(artifact.node, list);
    }
    // Without a manifest of ours, what is on disk is unknown: rewrite everything.
    this.changed = manifest === undefined;
  }

  /**
   * The staging folder, for threads that write nodes' files themselves: only when every node is to
   * be written anyway (no previous build of ours to compare with), so nothing needs deciding first.
   * Such nodes are then recorded with addStagedNode.
   */
  directStaging(): string | undefined {
    if (!this.changed || this.options.writeFile) return undefined;
    this.markChanged();
    return this.staging;
  }

  get cluster(): string {
    return this.options.cluster;
  }

  /**
   * Who may read the output this build writes: the project's choice, known once it is resolved,
   * which may be after the output was opened. Every entry is written and checked with it, so it is
   * given once, before the first node.
   */
  grantAccess(access: OutputAccess): void {
    if (this.seenNodes.size > 0 || this.staging !== undefined) throw new Error('grantAccess comes before the first node');
    this.access = access;
  }

  /** Who may read the output this build writes (grantAccess). */
  get outputAccess(): OutputAccess {
    return this.access;
  }

  /**
   * Every entry of the previous output a build checks (its files, their folders, the manifest),
   * relative to clusterDir, '' for the folder itself: what to lstat() ahead (usePrefetched).
   */
  previousEntries(): string[] {
    if (this.manifest === undefined) return [];
    const folders = new Set<string>(['']);
    for (const path of this.previous.keys()) {
      for (let folder = dirname(path); folder !== '.' && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
    }
    return [...folders, MANIFEST_NAME, ...this.previous.keys()];
  }

  /** lstat() answers for previousEntries(), taken since this writer opened (it holds the lock). */
  usePrefetched(stats: PrefetchedStats): void {
    this.disk.usePrefetched(stats);
  }

  /** What the previous build recorded of a node (its input digest, its report), if anything. */
  previousRecord(name: string): NodeRecord | undefined {
    return this.previous.size === 0 ? undefined : this.disk.nodeRecord(name);
  }

  /**
   * Keeps a node as the previous build wrote it, without its files being made again: only when the
   * caller found its inputs unchanged (`record` is previousRecord(name) and its digest matches) and
   * every file the previous manifest lists for it is on disk with its bytes and recorded mode.
   * False when it must be built instead; nothing is recorded then.
   */
  reuseNode(name: string, record: NodeRecord): boolean {
    const node = this.previousNodes.get(name);
    const files = this.previousFilesOf(name);
    if (node === undefined || this.seenNodes.has(name) || files.length !== record.modes.length) return false;
    if (!this.previousManifestIsRecorded()) return false;
    if (!files.every((file, i) => this.onDisk(file, record.modes[i]))) return false;
    this.seenNodes.add(name);
    this.nodes.push(node);
    this.artifacts.push(...files);
    this.reused.add(name);
    this.reusedByRecord++;
    this.records.set(name, record);
    return true;
  }

  private manifestRecorded: boolean | undefined;

  /**
   * Whether the previous manifest is the text the record vouches for: its stat unchanged since it
   * was recorded (as for every file, git's index rule), or else its SHA-256 the recorded one.
   */
  private previousManifestIsRecorded(): boolean {
    if (this.manifestRecorded !== undefined) return this.manifestRecorded;
    const recorded = this.disk.manifestSha256;
    this.manifestRecorded =
      this.manifestText !== undefined && recorded !== undefined && (this.disk.unchangedSinceRecorded(MANIFEST_NAME) || sha256Hex(this.manifestText) === recorded);
    return this.manifestRecorded;
  }

  /** A node whose files another thread already wrote into directStaging(). */
  addStagedNode(node: ManifestNode, entries: readonly StagedEntry[], inputs?: NodeInputs): void {
    this.seenNodes.add(node.name);
    this.nodes.push(node);
    const artifacts = entries.map((e) => ({ path: e.path, node: node.name, kind: e.kind, size: e.size, sha256: e.sha256 }));
    this.artifacts.push(...artifacts);
    if (inputs) this.record(node, artifacts, entries, inputs);
  }

  /** Remembers for the next build what this one wrote of a node (disk-state.ts). */
  private record(node: ManifestNode, artifacts: readonly ManifestArtifact[], modes: readonly Pick<StagedEntry, 'path' | 'mode'>[], inputs: NodeInputs): void {
    const byPath = new Map(modes.map((f) => [f.path, f.mode]));
    const sorted = [...artifacts].sort(byPath_);
    this.records.set(node.name, { ...inputs, modes: sorted.map((a) => byPath.get(a.path)!) });
  }

  /** Adds one node's files; writes them now if they differ from the previous build or from the disk. */
  addNode(node: ManifestNode, files: readonly OutputFile[], inputs?: NodeInputs): void {
    this.seenNodes.add(node.name);
    this.nodes.push(node);
    const prepared = files.map((f) => ({ ...f, bytes: fileBytes(f) }));
    const entries = prepared.map((f) => ({ path: f.path, node: node.name, kind: f.kind, size: f.bytes.byteLength, sha256: f.sha256 ?? fileSha256(f.bytes) }));
    this.artifacts.push(...entries);
    if (inputs) this.record(node, entries, files, inputs);
    const before = this.previousFilesOf(node.name);
    const same =
      !this.changed &&
      before.length === entries.length &&
      entries.every((e) => {
        const old = this.previous.get(e.path);
        return old !== undefined && old.sha256 === e.sha256 && old.size === e.size && old.node === e.node;
      }) &&
      JSON.stringify(this.previousNodes.get(node.name)) === JSON.stringify(node) &&
      entries.every((e, i) => this.onDisk(e, prepared[i]!.mode));
    if (same) {
      this.reused.add(node.name);
      return;
    }
    this.markChanged();
    for (const f of prepared) this.stage(f.path, f.bytes, f.mode);
  }

  /** Cluster-level files (e.g. PXE scripts): small, so always staged. */
  addFile(file: OutputFile): void {
    const bytes = fileBytes(file);
    const entry = { path: file.path, kind: file.kind, size: bytes.byteLength, sha256: fileSha256(bytes) };
    this.artifacts.push(entry);
    this.addedFiles.add(file.path);
    const old = this.previous.get(file.path);
    if (!old || old.sha256 !== entry.sha256 || !this.onDisk(entry, file.mode)) this.markChanged();
    this.pendingFiles.push({ path: file.path, bytes, mode: file.mode });
  }

  private readonly pendingFiles: { path: string; bytes: Uint8Array; mode: number }[] = [];

  commit(): EmitResult {
    try {
      if (this.options.partial) this.keepOtherNodes();
      const removed =
        [...this.previousNodes.keys()].some((name) => !this.seenNodes.has(name)) ||
        [...this.previous.values()].some((a) => !a.node && !this.addedFiles.has(a.path) && !this.keptFiles.has(a.path));
      // When every node was reused, this code made the previous manifest from the very entries it
      // would list now: it is that text, and need not be made again to be compared.
      const previousText =
        !this.changed && !removed && !this.options.partial && this.previousNodes.size === this.nodes.length && this.reusedByRecord === this.nodes.length
          ? this.manifestText
          : undefined;
      const manifest = previousText ? undefined : Buffer.from(manifestJson(this.options.cluster, this.artifacts, this.nodes), 'utf8');
      // Every node reused means the previous manifest was found to be the recorded text.
      const manifestSha256 = previousText ? this.disk.manifestSha256! : sha256Hex(manifest!);
      const manifestSize = (previousText ?? manifest!).byteLength;
      if (!this.changed && !removed && this.onDisk({ path: MANIFEST_NAME, size: manifestSize, sha256: manifestSha256 }, MANIFEST_MODE) && this.folderSound('') && this.folderSound(NODES_FOLDER)) {
        this.disk.saveRefreshed(this.records, manifestSha256);
        this.release();
        return { changed: false, clusterDir: this.clusterDir, files: this.artifacts.length + 1, diagnostics: [] };
      }
      this.markChanged();
      for (const f of this.pendingFiles) this.stage(f.path, f.bytes, f.mode);
      this.linkReused();
      const written = manifest ?? Buffer.from(manifestJson(this.options.cluster, this.artifacts, this.nodes), 'utf8');
      this.stage(MANIFEST_NAME, written, MANIFEST_MODE);
      this.carryForeign();
      this.swap();
      DiskState.recordTree(this.options.outDir, this.options.cluster, [MANIFEST_NAME, ...this.artifacts.map((a) => a.path)], this.records, sha256Hex(written));
      this.release();
      return { changed: true, clusterDir: this.clusterDir, files: this.artifacts.length + 1, diagnostics: [] };
    } catch (error) {
      this.abort();
      return { changed: false, clusterDir: this.clusterDir, files: 0, diagnostics: [this.failure(error)] };
    }
  }

  /** Drops everything staged; the previous output stays as it was. */
  abort(): void {
    if (this.staging) rmSync(this.staging, { recursive: true, force: true });
    this.staging = undefined;
    this.files = undefined;
    this.release();
    // An output folder this build created goes too: a failed build changes nothing.
    if (this.createdOutDir) removeCreatedOutDir(this.options.outDir, this.options.cluster);
  }

  private released = false;

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.lock.release();
  }

  /** Wraps a failure while writing as a diagnostic (callers abort). */
  failure(error: unknown): Diagnostic {
    if (error instanceof ForeignEntryError) {
      return {
        code: 'emit/foreign-entry',
        severity: 'error',
        message: `'${displayPath(join(this.clusterDir, error.path))}' was not written by kindling and cannot be kept: ${error.reason}`,
        hint: 'move it out of the output folder, then build again; nothing was changed',
      };
    }
    if (error instanceof OutputModifiedError) {
      return {
        code: 'emit/output-modified',
        severity: 'error',
        message: `'${displayPath(join(this.clusterDir, error.path))}' was changed after kindling wrote it, and a --node build keeps the other nodes as they are`,
        hint: 'run a full build (without --node) to restore it; nothing was changed',
      };
    }
    return writeFailure(this.clusterDir, error);
  }

  private previousFilesOf(node: string): readonly ManifestArtifact[] {
    return this.previousByNode.get(node) ?? [];
  }

  /** Whether a file of the previous output is still what the manifest says, with this mode, in sound folders. */
  private onDisk(entry: Pick<ManifestArtifact, 'path' | 'size' | 'sha256'>, mode: number | undefined): boolean {
    const folder = dirname(entry.path);
    return (folder === '.' || this.folderSound(folder)) && this.disk.fileIs(entry.path, entry.size, entry.sha256, mode, this.access.gid);
  }

  /** A folder of the previous output (and those above it) is a real folder with the mode a build gives it. */
  private folderSound(folder: string): boolean {
    const known = this.soundFolders.get(folder);
    if (known !== undefined) return known;
    const parent = folder === '' ? undefined : dirname(folder);
    const sound =
      (parent === undefined || this.folderSound(parent === '.' ? '' : parent)) && this.disk.folderIs(folder, folderModeOf(folder, this.access), this.access.gid);
    this.soundFolders.set(folder, sound);
    return sound;
  }

  /** A --node build keeps the other nodes' files, only as kindling wrote them (in any mode). */
  private keepOtherNodes(): void {
    const keep = (artifact: ManifestArtifact): void => {
      if (!this.disk.fileIs(artifact.path, artifact.size, artifact.sha256, undefined)) throw new OutputModifiedError(artifact.path);
      this.artifacts.push(artifact);
    };
    for (const artifact of this.previous.values()) {
      if (artifact.node || this.addedFiles.has(artifact.path)) continue;
      this.keptFiles.add(artifact.path);
      keep(artifact);
    }
    for (const [name, node] of this.previousNodes) {
      if (this.seenNodes.has(name)) continue;
      this.seenNodes.add(name);
      this.nodes.push(node);
      this.reused.add(name);
      const record = this.disk.nodeRecord(name);
      if (record) this.records.set(name, record);
      this.previousFilesOf(name).forEach(keep);
    }
  }

  private markChanged(): void {
    this.changed = true;
    if (this.staging) return;
    this.staging = join(this.options.outDir, `.${this.options.cluster}.staging-${this.token}`);
    for (const folder of [this.staging, join(this.staging, NODES_FOLDER)]) {
      mkdirSync(folder, { mode: FOLDER_MODE });
      chmodSync(folder, FOLDER_MODE);
      if (this.access.gid !== undefined) chownSync(folder, -1, this.access.gid);
    }
    this.files = new StagingFiles(this.staging, this.access, this.options.writeFile);
  }

  /** Entries a person added to the previous output go into the new one (see foreign-entries.ts). */
  private carryForeign(): void {
    if (this.manifest === undefined) return;
    const listed = new Set([MANIFEST_NAME, ...this.previous.keys()]);
    carryForeignEntries(this.clusterDir, this.staging!, findForeignEntries(this.clusterDir, listed));
  }
  private stage(path: string, data: Uint8Array, mode: number): void {
    this.files!.write(path, data, mode);
  }

  private linkReused(): void {
    for (const artifact of this.artifacts) {
      if (artifact.node ? !this.reused.has(artifact.node) : !this.keptFiles.has(artifact.path)) continue;
      // A hard link keeps the previous output intact until the swap, at the cost of one link().
      this.files!.link(join(this.clusterDir, artifact.path), artifact.path);
    }
  }

  private swap(): void {
    const previous = join(this.options.outDir, `.${this.options.cluster}.previous-${this.token}`);
    if (existsSync(this.clusterDir)) renameSync(this.clusterDir, previous);
    try {
      renameSync(this.staging!, this.clusterDir);
    } catch (error) {
      if (existsSync(previous)) renameSync(previous, this.clusterDir);
      throw error;
    }
    this.staging = undefined;
    this.files = undefined;
    rmSync(previous, { recursive: true, force: true });
  }
}

/** What the manifest records of a file written into the staging folder, and the mode it was given. */
export type StagedEntry = Omit<ManifestArtifact, 'node'> & { readonly mode: number };

const byPath_ = (a: ManifestArtifact, b: ManifestArtifact): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);


/** A file a --node build would keep was changed after kindling wrote it. */
class OutputModifiedError extends Error {
  constructor(readonly path: string) {
    super(`${path} was modified`);
  }
}

function writeFailure(clusterDir: string, error: unknown): Diagnostic {
  return {
    code: 'emit/write-failed',
    severity: 'error',
    message: `cannot write ${displayPath(clusterDir)}: ${describeIoError(error)}`,
    hint: 'check the output folder is writable and has space; the previous output was left as it was',
  };
}

/** The output folder a failed build created holds only its lock file: both go. */
function removeCreatedOutDir(outDir: string, cluster: string): void {
  rmSync(lockPathFor(outDir, cluster), { force: true });
  try {
    rmdirSync(outDir);
  } catch {
    // not empty after all: another build wrote there meanwhile; leave it
  }
}

/**
 * Writes files into a staging folder: folders with the layout's modes, the given file mode (chmod
 * only when the umask narrowed it), every entry given to the serving group when there is one, seed
 * images sparse. Used by the writer and, in a parallel build, by each worker thread for the nodes it
 * rendered.
 */
export class StagingFiles {
  private readonly madeDirs = new Set<string>();
  private readonly umask = process.umask();

  constructor(
    readonly root: string,
    private readonly access: OutputAccess,
    private readonly writeFile?: (path: string, data: Uint8Array, mode: number) => void,
  ) {}

  write(path: string, data: Uint8Array, mode: number): void {
    const full = this.placeFor(path);
    if (this.writeFile) this.writeFile(full, data, mode);
    else this.writeWithMode(full, data, mode);
    if (this.access.gid !== undefined) chownSync(full, -1, this.access.gid);
  }

  /** A hard link from the previous output (an unchanged file). */
  link(existing: string, path: string): void {
    linkSync(existing, this.placeFor(path));
  }

  /** The full path of a file, its folder made first (node folders 0700: they hold credentials). */
  private placeFor(path: string): string {
    const full = join(this.root, path);
    const dir = dirname(full);
    if (!this.madeDirs.has(dir)) this.makeDir(dirname(path));
    return full;
  }

  /**
   * One mkdir per folder (`folder` relative to the root; its parent usually exists already, else it
   * is made first, the same way); chmod only if the umask narrowed the mode.
   */
  private makeDir(folder: string): void {
    const dir = join(this.root, folder);
    const mode = folderModeOf(folder, this.access);
    this.madeDirs.add(dir);
    try {
      mkdirSync(dir, { mode });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return; // the staging root, nodes/ and shared PXE folders exist already
      if (code !== 'ENOENT' || folder === '.') throw error;
      this.makeDir(dirname(folder));
      mkdirSync(dir, { mode });
    }
    if ((mode & this.umask) !== 0) chmodSync(dir, mode);
    if (this.access.gid !== undefined) chownSync(dir, -1, this.access.gid);
  }

  private writeWithMode(path: string, data: Uint8Array, mode: number): void {
    if (hasZeroPrefix(data)) {
      // The ISO 9660 system area: left as a hole, it reads back as the same zeros without being written.
      const fd = openSync(path, 'w', mode);
      try {
        writeSync(fd, data, ZERO_PREFIX, data.byteLength - ZERO_PREFIX, ZERO_PREFIX);
      } finally {
        closeSync(fd);
      }
    } else {
      writeFileSync(path, data, { mode });
    }
    // Only when the umask narrowed the mode does it need fixing; skipping chmod matters at fleet scale.
    if ((mode & this.umask) !== 0) chmodSync(path, mode);
  }
}

/** Writes one file into the staging folder: what the manifest records of it. */
export function stageFile(staging: StagingFiles, file: Pick<OutputFile, 'path' | 'kind' | 'data' | 'bytes' | 'mode' | 'sha256'>): StagedEntry {
  const bytes = fileBytes(file);
  staging.write(file.path, bytes, file.mode);
  return { path: file.path, kind: file.kind, size: bytes.byteLength, sha256: file.sha256 ?? fileSha256(bytes), mode: file.mode };
}

/**
 * Seed images start with 32 KiB of zeros (ISO 9660's system area). Writing them sparse and hashing
 * from a precomputed state of those zeros halves the bytes a fleet of cloud-init nodes moves.
 */
const ZERO_PREFIX = 32 * 1024;
const zeros = Buffer.alloc(ZERO_PREFIX);
const zeroPrefixHash = createHash('sha256').update(zeros);

function hasZeroPrefix(data: Uint8Array): boolean {
  return data.byteLength > ZERO_PREFIX && zeros.equals(Buffer.from(data.buffer, data.byteOffset, ZERO_PREFIX));
}

/** SHA-256 (hex) of a file's bytes, as the manifest records it. */
function fileSha256(data: Uint8Array): string {
  if (hasZeroPrefix(data)) return zeroPrefixHash.copy().update(data.subarray(ZERO_PREFIX)).digest('hex');
  return sha256Hex(data);
}

/**
 * Staging or previous folders left by interrupted builds. Called under the lock, so the builds
 * that made them are provably over; the real output is never touched.
 */
function removeStale(outDir: string, cluster: string): void {
  for (const name of readdirSync(outDir)) {
    if (name.startsWith(`.${cluster}.staging-`)) rmSync(join(outDir, name), { recursive: true, force: true });
    else if (name.startsWith(`.${cluster}.previous-`)) {
      if (existsSync(join(outDir, cluster))) rmSync(join(outDir, name), { recursive: true, force: true });
      else renameSync(join(outDir, name), join(outDir, cluster));
    }
  }
}

export interface EmitOptions extends WriterOptions {
  readonly builds: readonly NodeBuild[];
}

/** Emits already-built nodes in one call (the streaming writer underneath). */
export function emitOutput(options: EmitOptions): EmitResult {
  const writer = OutputWriter.open(options);
  if (Array.isArray(writer)) return { changed: false, clusterDir: join(options.outDir, options.cluster), files: 0, diagnostics: writer };
  try {
    const root = resolve(writer.clusterDir);
    for (const build of options.builds) writer.addNode(manifestNode(build, root), nodeOutputFiles(build, writer.outputAccess));
  } catch (error) {
    writer.abort();
    return { changed: false, clusterDir: writer.clusterDir, files: 0, diagnostics: [writer.failure(error)] };
  }
  return writer.commit();
}

/** The whole tree a build would write into `clusterDir`, in memory (for `kindling diff`): path → bytes. */
export function desiredTree(clusterDir: string, cluster: string, builds: readonly NodeBuild[], clusterFiles: readonly OutputFile[] = []): Map<string, Uint8Array> {
  const root = resolve(clusterDir);
  const tree = new Map<string, Uint8Array>();
  const artifacts: ManifestArtifact[] = [];
  for (const file of clusterFiles) {
    const bytes = fileBytes(file);
    tree.set(file.path, bytes);
    artifacts.push({ path: file.path, kind: file.kind, size: bytes.byteLength, sha256: fileSha256(bytes) });
  }
  for (const build of builds) {
    for (const file of nodeOutputFiles(build, PRIVATE_OUTPUT)) {
      const bytes = fileBytes(file);
      tree.set(file.path, bytes);
      artifacts.push({ path: file.path, node: build.node.name, kind: file.kind, size: bytes.byteLength, sha256: fileSha256(bytes) });
    }
  }
  tree.set(MANIFEST_NAME, Buffer.from(manifestJson(cluster, artifacts, builds.map((build) => manifestNode(build, root))), 'utf8'));
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
