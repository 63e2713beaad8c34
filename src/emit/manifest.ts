/**
 * out/<cluster>/manifest.json: every artifact with its node, kind, size and sha256, sorted, plus
 * per-node facts — what a provisioner or a publishing step reads instead of walking the tree. The
 * next build also reads it to tell which files would change, so an unchanged rebuild writes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST_NAME = 'manifest.json';

/**
 * The manifest's format, for the programs that read it: raised whenever a field changes meaning or
 * goes away (new fields may come without it). 1: VM arguments with absolute paths and the MACs.
 */
const MANIFEST_FORMAT_VERSION = 1;

export interface ManifestArtifact {
  readonly path: string;
  readonly node?: string;
  readonly kind: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ManifestNode {
  readonly name: string;
  readonly [fact: string]: unknown;
}

export interface Manifest {
  readonly formatVersion: number;
  readonly cluster: string;
  readonly generator: 'kindling';
  readonly artifacts: readonly ManifestArtifact[];
  readonly nodes: readonly ManifestNode[];
}

const byKey = <T>(key: (item: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function manifestJson(cluster: string, artifacts: Iterable<ManifestArtifact>, nodes: Iterable<ManifestNode>): string {
  const manifest: Manifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    cluster,
    generator: 'kindling',
    artifacts: [...artifacts].sort(byKey((a) => a.path)),
    nodes: [...nodes].sort(byKey((n) => n.name)),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The manifest of an earlier build, or undefined when there is none (or it is not ours). */
export function readManifest(clusterDir: string): Manifest | undefined {
  return readManifestAndText(clusterDir)?.manifest;
}

/** readManifest, with the manifest's text. */
export function readManifestAndText(clusterDir: string): { manifest: Manifest; text: Buffer } | undefined {
  try {
    const text = readFileSync(join(clusterDir, MANIFEST_NAME));
    const manifest = JSON.parse(text.toString('utf8')) as Manifest;
    if (manifest.generator !== 'kindling' || !Array.isArray(manifest.artifacts) || !Array.isArray(manifest.nodes)) return undefined;
    return { manifest, text };
  } catch {
    return undefined;
  }
}
