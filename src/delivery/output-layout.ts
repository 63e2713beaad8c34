/**
 * The layout of out/<cluster>/: where each file of a build goes and with what mode. Emit writes
 * what this decides and `kindling diff` compares with it; neither decides it.
 *
 * Node folders hold credentials (the kubeconfig inside user-data and config.ign): 0700 folders,
 * 0600 files, private to the user who builds. A project that names a group to serve the output
 * (delivery.serveGroup, e.g. the web server's www-data) gets 0750 folders and 0640 files instead,
 * every entry owned by that group: readable by the server, still by no one else.
 */
import type { NodeBuild } from '../build/build-node.ts';
import type { ManifestNode } from '../emit/manifest.ts';
import type { OutputFile } from '../emit/write-output.ts';
import { vmArguments } from './delivery-facts.ts';
import { NODES_FOLDER, nodeFolder } from './node-folder.ts';

export { NODES_FOLDER, nodeFolder };

export const FOLDER_MODE = 0o755;
export const MANIFEST_MODE = 0o644;
const FILE_MODE = 0o644;

/** Who may read an output besides the user who builds it. */
export interface OutputAccess {
  /** The group that may read every entry (delivery.serveGroup); absent: the output is private. */
  readonly gid?: number;
}

export const PRIVATE_OUTPUT: OutputAccess = Object.freeze({});

/** The access a project asks for. */
export const outputAccessOf = (serveGroup: { readonly gid: number } | undefined): OutputAccess => (serveGroup ? Object.freeze({ gid: serveGroup.gid }) : PRIVATE_OUTPUT);

/** The mode of a folder of the output (a path relative to out/<cluster>/). */
export const folderModeOf = (folder: string, access: OutputAccess): number =>
  folder.startsWith(`${NODES_FOLDER}/`) ? (access.gid !== undefined ? 0o750 : 0o700) : FOLDER_MODE;

const secretFileMode = (access: OutputAccess): number => (access.gid !== undefined ? 0o640 : 0o600);

/** Node artifacts as output files: in out/<cluster>/nodes/<node>/ unless they name their own place (PXE entries). */
export function nodeOutputFiles(build: NodeBuild, access: OutputAccess): OutputFile[] {
  return build.artifacts.map((a) => ({
    path: a.path ?? `${nodeFolder(build.node.name)}/${a.name}`,
    data: a.data,
    mode: a.secret ? secretFileMode(access) : FILE_MODE,
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
