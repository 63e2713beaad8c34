/**
 * The emit stage: writes out/<cluster>/ atomically. The whole tree is written into a staging
 * folder beside it and swapped in with renames, so a failed or interrupted build leaves the
 * previous output as it was; an unchanged rebuild writes nothing at all.
 * Node folders hold credentials (kubeconfig inside user-data and config.ign): 0700 folders, 0600 files.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, readdirSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { NodeBuild } from '../build-node.ts';
import { describeIoError, displayPath } from '../parse/read-profile-dir.ts';
import { manifestJson, MANIFEST_NAME } from './manifest.ts';
import { readTree, toBytes, treesEqual, type OutputTree } from './output-tree.ts';

export interface EmitOptions {
  readonly outDir: string;
  readonly cluster: string;
  readonly builds: readonly NodeBuild[];
  /** Only some nodes were built: keep the other nodes' existing output. */
  readonly partial: boolean;
  /** File writer; tests inject one that fails midway to prove the swap is atomic. */
  readonly writeFile?: (path: string, data: Uint8Array, mode: number) => void;
}

export interface EmitResult {
  readonly changed: boolean;
  readonly clusterDir: string;
  readonly files: number;
  readonly diagnostics: Diagnostic[];
}

export function desiredTree(options: EmitOptions, existing: OutputTree): OutputTree {
  const tree: OutputTree = new Map();
  const rebuilt = new Set(options.builds.map((b) => b.node.name));
  if (options.partial) {
    for (const [path, file] of existing) {
      const node = /^nodes\/([^/]+)\//.exec(path)?.[1];
      if (node && !rebuilt.has(node)) tree.set(path, file);
    }
  }
  for (const build of options.builds) {
    for (const artifact of build.artifacts) {
      tree.set(`nodes/${build.node.name}/${artifact.name}`, { data: toBytes(artifact.data), mode: artifact.secret ? 0o600 : 0o644 });
    }
  }
  const sorted: OutputTree = new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  sorted.set(MANIFEST_NAME, { data: toBytes(manifestJson(options.cluster, sorted)), mode: 0o644 });
  return sorted;
}

export function emitOutput(options: EmitOptions): EmitResult {
  const clusterDir = join(options.outDir, options.cluster);
  const existing = readTree(clusterDir);
  const tree = desiredTree(options, existing);
  if (existsSync(clusterDir) && treesEqual(tree, existing)) {
    return { changed: false, clusterDir, files: tree.size, diagnostics: [] };
  }
  const write = options.writeFile ?? writeWithMode;
  const token = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(options.outDir, `.${options.cluster}.staging-${token}`);
  const previous = join(options.outDir, `.${options.cluster}.previous-${token}`);
  try {
    mkdirSync(options.outDir, { recursive: true });
    removeStale(options.outDir, options.cluster);
    mkdirSync(staging, { mode: 0o755 });
    for (const [path, file] of tree) {
      const full = join(staging, path);
      mkdirSync(dirname(full), { recursive: true, mode: path.startsWith('nodes/') ? 0o700 : 0o755 });
      write(full, file.data, file.mode);
    }
    for (const node of readdirSync(join(staging, 'nodes'), { withFileTypes: true })) {
      if (node.isDirectory()) chmodSync(join(staging, 'nodes', node.name), 0o700);
    }
    if (existsSync(clusterDir)) renameSync(clusterDir, previous);
    renameSync(staging, clusterDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(clusterDir) && existsSync(previous)) renameSync(previous, clusterDir);
    return {
      changed: false,
      clusterDir,
      files: 0,
      diagnostics: [
        { code: 'emit/write-failed', severity: 'error', message: `cannot write ${displayPath(clusterDir)}: ${describeIoError(error)}`, hint: 'check the output folder is writable; the previous output was left as it was' },
      ],
    };
  }
  return { changed: true, clusterDir, files: tree.size, diagnostics: [] };
}

/** Staging or previous folders left by an interrupted build; the real output is never touched. */
function removeStale(outDir: string, cluster: string): void {
  for (const name of readdirSync(outDir)) {
    if (name.startsWith(`.${cluster}.staging-`)) rmSync(join(outDir, name), { recursive: true, force: true });
    if (name.startsWith(`.${cluster}.previous-`) && existsSync(join(outDir, cluster))) rmSync(join(outDir, name), { recursive: true, force: true });
    if (name.startsWith(`.${cluster}.previous-`) && !existsSync(join(outDir, cluster))) renameSync(join(outDir, name), join(outDir, cluster));
  }
}

function writeWithMode(path: string, data: Uint8Array, mode: number): void {
  writeFileSync(path, data, { mode });
  chmodSync(path, mode); // the umask may have narrowed the mode given to writeFileSync
}
