/**
 * The layout of out/<cluster>/: where each file of a build goes and with what mode. Emit writes
 * what this decides and `kindling diff` compares with it; neither decides it.
 *
 * Node folders hold credentials (the kubeconfig inside user-data and config.ign): 0700 folders,
 * 0600 files.
 */
import type { NodeBuild } from '../build/build-node.ts';
import type { ManifestNode } from '../emit/manifest.ts';
import type { OutputFile } from '../emit/write-output.ts';
import { vmArguments } from './delivery-facts.ts';
import { NODES_FOLDER, nodeFolder } from './node-folder.ts';

export { NODES_FOLDER, nodeFolder };

export const FOLDER_MODE = 0o755;
const NODE_FOLDER_MODE = 0o700;
export const MANIFEST_MODE = 0o644;
const FILE_MODE = 0o644;
const SECRET_FILE_MODE = 0o600;


/** The mode of a folder of the output (a path relative to out/<cluster>/). */
export const folderModeOf = (folder: string): number => (folder.startsWith(`${NODES_FOLDER}/`) ? NODE_FOLDER_MODE : FOLDER_MODE);

/** Node artifacts as output files: in out/<cluster>/nodes/<node>/ unless they name their own place (PXE entries). */
export function nodeOutputFiles(build: NodeBuild): OutputFile[] {
  return build.artifacts.map((a) => ({
    path: a.path ?? `${nodeFolder(build.node.name)}/${a.name}`,
    data: a.data,
    mode: a.secret ? SECRET_FILE_MODE : FILE_MODE,
    kind: a.kind,
    ...(a.sha256 !== undefined ? { sha256: a.sha256 } : {}),
    ...(a.bytes !== undefined ? { bytes: a.bytes } : {}),
  }));
}

/**
 * The facts about a node that the manifest records next to its files; `root` is the absolute path
 * of out/<cluster>/, which the VM arguments name so that they run from anywhere.
 */
export function manifestNode(build: NodeBuild, root: string): ManifestNode {
  const { node } = build;
  const files = build.artifacts.filter((a) => a.path === undefined).map((a) => a.name);
  return {
    name: node.name,
    os: node.os,
    arch: node.arch,
    ...(node.role ? { role: node.role } : {}),
    platform: node.platform,
    macs: [...node.macs],
    delivery: { ...build.delivery, ...vmArguments(node, build.delivery, files, root) },
  };
}
