/**
 * out/<cluster>/manifest.json: every artifact with its size and sha256, per node, sorted — what a
 * provisioner or a publishing step reads instead of walking the tree.
 */
import type { OutputTree } from './output-tree.ts';
import { sha256 } from './output-tree.ts';

export const MANIFEST_NAME = 'manifest.json';

const KINDS: Record<string, string> = {
  'user-data': 'cloud-init user-data',
  'meta-data': 'cloud-init meta-data',
  'network-config': 'cloud-init network-config',
  'config.bu': 'butane',
  'config.ign': 'ignition',
};

export function manifestJson(cluster: string, tree: OutputTree): string {
  const nodes = new Map<string, { path: string; kind: string; size: number; sha256: string }[]>();
  for (const [path, file] of [...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const match = /^nodes\/([^/]+)\/(.+)$/.exec(path);
    if (!match) continue;
    const [, node = '', name = ''] = match;
    const list = nodes.get(node) ?? [];
    list.push({ path, kind: KINDS[name] ?? 'file', size: file.data.byteLength, sha256: sha256(file.data) });
    nodes.set(node, list);
  }
  const manifest = {
    cluster,
    generator: 'kindling',
    nodes: [...nodes].map(([name, artifacts]) => ({ name, artifacts })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
