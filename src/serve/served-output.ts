/**
 * Which output `kindling serve` serves: one `out/<cluster>/` that kindling wrote (its manifest.json
 * says so), its boot-asset folder, and the URL path machines ask for them under (the path of the
 * cluster's publishURL, so the URLs in boot scripts and pointer configs resolve against this server).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeIoError } from '../io/io-error.ts';
import { readManifest, type Manifest } from '../emit/manifest.ts';
import { ServeError } from './serve-error.ts';

export interface ServedOutput {
  readonly cluster: string;
  /** out/<cluster>/, absolute. */
  readonly clusterDir: string;
  /** The boot-asset folder, absolute, when there is one. */
  readonly assetsDir?: string;
  readonly manifest: Manifest;
  /** The URL path out/<cluster>/ is served under, with a trailing slash ('/' without a publishURL). */
  readonly urlPath: string;
}

export interface ServedOutputOptions {
  /** The output root (`kindling build --out`), or one cluster's folder in it. */
  readonly root: string;
  /** Which cluster, when the root holds several. */
  readonly cluster?: string;
  /** The boot-asset folder; default `<root>/<cluster>-assets/` when that exists. */
  readonly assets?: string;
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A kindling output for `cluster` at `dir`, or undefined. */
function outputAt(dir: string): Manifest | undefined {
  const manifest = readManifest(dir);
  return manifest !== undefined && typeof manifest.cluster === 'string' ? manifest : undefined;
}

/** Every cluster output directly under `root`: folders named after the cluster their manifest names. */
function clustersUnder(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch (error) {
    throw new ServeError(`cannot read the output folder ${root}: ${describeIoError(error)}`, 'give the folder `kindling build --out` wrote (default: out)');
  }
  return names.filter((name) => outputAt(join(root, name))?.cluster === name).sort();
}

/**
 * The path of the URL out/<cluster>/ is published at: the manifest's `publishURL` when it records
 * one, else what its nodes' config URLs (`<publishURL>nodes/<node>/…`) imply, else '/'.
 */
function publishedPath(manifest: Manifest): string {
  const recorded = (manifest as { publishURL?: unknown }).publishURL;
  if (typeof recorded === 'string') return pathOf(recorded) ?? '/';
  for (const node of manifest.nodes) {
    const url = (node.delivery as { configURL?: unknown } | undefined)?.configURL;
    if (typeof url !== 'string') continue;
    const path = pathOf(url);
    const at = path?.lastIndexOf(`/nodes/${node.name}/`) ?? -1;
    if (path !== undefined && at >= 0) return path.slice(0, at + 1);
  }
  return '/';
}

function pathOf(url: string): string | undefined {
  try {
    const path = new URL(url).pathname;
    return path.endsWith('/') ? path : `${path}/`;
  } catch {
    return undefined;
  }
}

export function findServedOutput(options: ServedOutputOptions): ServedOutput {
  const root = resolve(options.root);
  if (!isDirectory(root)) {
    throw new ServeError(`there is no output folder at ${options.root}`, 'run `kindling build` first, or give the folder it wrote (`kindling serve DIR`)');
  }
  let clusterDir: string;
  const itself = outputAt(root);
  if (itself !== undefined && (options.cluster === undefined || options.cluster === itself.cluster)) {
    clusterDir = root;
  } else {
    const clusters = clustersUnder(root);
    if (options.cluster !== undefined) {
      if (!clusters.includes(options.cluster)) {
        throw new ServeError(
          `${options.root} holds no output of cluster ${JSON.stringify(options.cluster)}`,
          clusters.length > 0 ? `it holds: ${clusters.join(', ')}` : 'run `kindling build` first',
        );
      }
      clusterDir = join(root, options.cluster);
    } else if (clusters.length === 1) {
      clusterDir = join(root, clusters[0]!);
    } else if (clusters.length === 0) {
      throw new ServeError(`${options.root} holds no kindling output (no <cluster>/manifest.json written by kindling)`, 'run `kindling build` first, or give the folder it wrote');
    } else {
      throw new ServeError(`${options.root} holds the outputs of several clusters: ${clusters.join(', ')}`, 'choose one with --cluster NAME');
    }
  }
  const manifest = outputAt(clusterDir)!;
  const cluster = manifest.cluster;
  let assetsDir: string | undefined;
  if (options.assets !== undefined) {
    assetsDir = resolve(options.assets);
    if (!isDirectory(assetsDir)) throw new ServeError(`the boot-asset folder ${options.assets} is not a folder`, 'give the folder that holds the kernels and initrds (--assets DIR)');
  } else {
    const beside = join(dirname(clusterDir), `${basename(clusterDir)}-assets`);
    if (isDirectory(beside)) assetsDir = beside;
  }
  return { cluster, clusterDir, ...(assetsDir !== undefined ? { assetsDir } : {}), manifest, urlPath: publishedPath(manifest) };
}
