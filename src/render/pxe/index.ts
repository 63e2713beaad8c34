/**
 * PXE scripts for every node a machine can be matched to, as static files for any HTTP/TFTP
 * server (pure), for the boot loaders chosen (boot-loaders.ts):
 * - iPXE: out/<cluster>/pxe/boot.ipxe, and the node's own script as pxe/uuid/<uuid>.ipxe,
 *   pxe/serial/<serial>.ipxe and pxe/mac/<mac>.ipxe;
 * - GRUB: pxe/grub/grub.cfg, and pxe/grub/grub.cfg-01-<mac>;
 * - pxelinux: pxe/pxelinux.cfg/default, and pxe/pxelinux.cfg/01-<mac>.
 * The cluster's files (boot.ipxe, grub.cfg, pxelinux.cfg/default) are written once by the build.
 * GRUB and pxelinux match by MAC only: both can look for a file named by the client UUID, but
 * from the UUID the firmware sent in DHCP option 97, whose byte order differs from the SMBIOS form
 * (dmidecode's, iPXE's ${uuid}) on most firmware, and GRUB only when the DHCP server echoes the
 * option. Without a publishURL nodes have no config URL to boot with, so nothing is rendered.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedCluster, ResolvedNode } from '../../resolve/project-model.ts';
import type { BootLoader } from '../../validate/profile-types.ts';
import { nodeBootAssets } from './boot-assets.ts';
import { chosenBootLoaders } from './boot-loaders.ts';
import { grubDefaultLines, ipxeDefaultLines, pxelinuxDefault } from './default-boot.ts';
import { commandLineDiagnostic, kernelArgs } from './kernel-args.ts';
import { bootScript, nodeScript } from './ipxe.ts';
import { grubConfig, grubDispatch } from './grub.ts';
import { pxelinuxConfig } from './pxelinux.ts';

export interface PxeFile {
  /** Relative to out/<cluster>/. */
  readonly path: string;
  readonly data: string;
}

/** One way a machine is matched to a node, and the entry file of each chosen loader for it. */
export interface PxeEntry {
  readonly node: string;
  /** Exactly one of mac, uuid and serial: what the entry matches. */
  readonly mac?: string;
  readonly uuid?: string;
  readonly serial?: string;
  readonly ipxe?: string;
  readonly grub?: string;
  readonly pxelinux?: string;
}

/** The files every machine of the cluster starts from, per loader. */
const CLUSTER_PXE_FILES = Object.freeze({ ipxe: 'pxe/boot.ipxe', grub: 'pxe/grub/grub.cfg', pxelinux: 'pxe/pxelinux.cfg/default' });

type PxeCluster = Pick<ResolvedCluster, 'name' | 'publishURL' | 'bootAssets' | 'bootLoaders' | 'defaultBoot' | 'origin'>;

/** 52:54:00:00:00:11 → 52-54-00-00-00-11, iPXE's ${mac:hexhyp} and pxelinux's 01-<mac> form. */
function hexhyp(mac: string): string {
  return mac.toLowerCase().replace(/[:-]/g, '-');
}

/**
 * The entry files of one node for the chosen loaders, in the order boot.ipxe looks (uuid, serial,
 * MACs), for the manifest's delivery facts. A serial passed validation as [A-Za-z0-9._-], which
 * ${serial:uristring} leaves as it is, so it is the file name.
 */
export function pxeEntries(node: Pick<ResolvedNode, 'name' | 'macs' | 'uuid' | 'serial'>, loaders: readonly BootLoader[]): PxeEntry[] {
  const ipxe = loaders.includes('ipxe');
  const entries: PxeEntry[] = [];
  if (ipxe && node.uuid !== undefined) entries.push({ node: node.name, uuid: node.uuid, ipxe: `pxe/uuid/${node.uuid}.ipxe` });
  if (ipxe && node.serial !== undefined) entries.push({ node: node.name, serial: node.serial, ipxe: `pxe/serial/${node.serial}.ipxe` });
  for (const mac of node.macs) {
    const h = hexhyp(mac);
    entries.push({
      node: node.name,
      mac,
      ...(ipxe ? { ipxe: `pxe/mac/${h}.ipxe` } : {}),
      ...(loaders.includes('grub') ? { grub: `pxe/grub/grub.cfg-01-${h}` } : {}),
      ...(loaders.includes('pxelinux') ? { pxelinux: `pxe/pxelinux.cfg/01-${h}` } : {}),
    });
  }
  return entries.filter((entry) => entry.ipxe ?? entry.grub ?? entry.pxelinux);
}

/**
 * The files every machine of the cluster starts from, for the chosen loaders: boot.ipxe,
 * grub/grub.cfg and pxelinux.cfg/default (the last two hold the default entry for a MAC without one).
 * Empty unless some node has an entry. The build writes them once (build-project.ts).
 */
export function renderClusterPxe(cluster: PxeCluster, nodes: readonly Pick<ResolvedNode, 'name' | 'macs' | 'uuid' | 'serial'>[]): PxeFile[] {
  const publishURL = cluster.publishURL;
  if (publishURL === undefined) return [];
  const { loaders } = chosenBootLoaders(cluster, publishURL);
  if (!nodes.some((n) => pxeEntries(n, loaders).length)) return [];
  const { name, defaultBoot, bootAssets } = cluster;
  const files: PxeFile[] = [];
  if (loaders.includes('ipxe')) files.push({ path: CLUSTER_PXE_FILES.ipxe, data: bootScript(name, ipxeDefaultLines(defaultBoot, bootAssets, publishURL, name)) });
  if (loaders.includes('grub')) files.push({ path: CLUSTER_PXE_FILES.grub, data: grubDispatch(name, grubDefaultLines(defaultBoot, bootAssets, publishURL, name)) });
  if (loaders.includes('pxelinux')) files.push({ path: CLUSTER_PXE_FILES.pxelinux, data: pxelinuxDefault(defaultBoot, bootAssets, publishURL, name) });
  return files;
}

/** Whether renderPxe's file is one of the cluster's (written once by the build), not a node's. */
export function isClusterPxeFile(path: string): boolean {
  return (Object.values(CLUSTER_PXE_FILES) as string[]).includes(path);
}

/** The nodes' PXE files, and the loaders they were written for (none without a publishURL). */
export function renderPxe(cluster: PxeCluster, nodes: readonly ResolvedNode[]): { files: PxeFile[]; diagnostics: Diagnostic[]; loaders: readonly BootLoader[] } {
  const files: PxeFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const publishURL = cluster.publishURL;
  if (publishURL === undefined) return { files, diagnostics, loaders: [] };
  const chosen = chosenBootLoaders(cluster, publishURL);
  files.push(...renderClusterPxe(cluster, nodes));
  let noted = false;
  for (const node of nodes) {
    const entries = pxeEntries(node, chosen.loaders);
    if (!entries.length) continue;
    // The loader choice's note is about the cluster: once, with the first node that has entries.
    if (!noted) diagnostics.push(...chosen.diagnostics);
    noted = true;
    const assets = nodeBootAssets(cluster.bootAssets, publishURL, node);
    const args = kernelArgs(node, assets, publishURL);
    const tooLong = commandLineDiagnostic(node, args);
    if (tooLong) {
      diagnostics.push(tooLong);
      continue;
    }
    for (const entry of entries) {
      if (entry.ipxe) files.push({ path: entry.ipxe, data: nodeScript(node, assets, args) });
      if (entry.grub) files.push({ path: entry.grub, data: grubConfig(node, entry.mac!, assets, args) });
      if (entry.pxelinux) files.push({ path: entry.pxelinux, data: pxelinuxConfig(node, entry.mac!, assets, args) });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics, loaders: chosen.loaders };
}
