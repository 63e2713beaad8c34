/**
 * PXE scripts for every node with MACs, as static files for any HTTP/TFTP server (pure):
 * out/<cluster>/pxe/boot.ipxe, pxe/mac/<mac>.ipxe, pxe/grub/grub.cfg-01-<mac>,
 * pxe/pxelinux.cfg/01-<mac>. Without a publishURL nodes have no config URL to boot with, so
 * nothing is rendered.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedCluster, ResolvedNode } from '../../resolve/project-model.ts';
import { nodeBootAssets } from './boot-assets.ts';
import { commandLineDiagnostic, kernelArgs } from './kernel-args.ts';
import { bootScript, macScript } from './ipxe.ts';
import { grubConfig } from './grub.ts';
import { pxelinuxConfig } from './pxelinux.ts';

export interface PxeFile {
  /** Relative to out/<cluster>/. */
  readonly path: string;
  readonly data: string;
}

export interface PxeEntry {
  readonly node: string;
  readonly mac: string;
  readonly ipxe: string;
  readonly grub: string;
  readonly pxelinux: string;
}

/** 52:54:00:00:00:11 → 52-54-00-00-00-11, iPXE's ${mac:hexhyp} and pxelinux's 01-<mac> form. */
function hexhyp(mac: string): string {
  return mac.toLowerCase().replace(/[:-]/g, '-');
}

/** The per-MAC file paths of one node (for the manifest's delivery facts). */
export function pxeEntries(node: Pick<ResolvedNode, 'name' | 'macs'>): PxeEntry[] {
  return node.macs.map((mac) => {
    const h = hexhyp(mac);
    return { node: node.name, mac, ipxe: `pxe/mac/${h}.ipxe`, grub: `pxe/grub/grub.cfg-01-${h}`, pxelinux: `pxe/pxelinux.cfg/01-${h}` };
  });
}

export function renderPxe(
  cluster: Pick<ResolvedCluster, 'name' | 'publishURL' | 'bootAssets'>,
  nodes: readonly ResolvedNode[],
): { files: PxeFile[]; diagnostics: Diagnostic[] } {
  const files: PxeFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const publishURL = cluster.publishURL;
  if (publishURL === undefined || !nodes.some((n) => n.macs.length)) return { files, diagnostics };
  files.push({ path: 'pxe/boot.ipxe', data: bootScript(cluster.name) });
  for (const node of nodes) {
    if (!node.macs.length) continue;
    const assets = nodeBootAssets(cluster.bootAssets, publishURL, node);
    const args = kernelArgs(node, assets, publishURL);
    const tooLong = commandLineDiagnostic(node, args);
    if (tooLong) {
      diagnostics.push(tooLong);
      continue;
    }
    for (const entry of pxeEntries(node)) {
      files.push({ path: entry.ipxe, data: macScript(node, entry.mac, assets, args) });
      files.push({ path: entry.grub, data: grubConfig(node, entry.mac, assets, args) });
      files.push({ path: entry.pxelinux, data: pxelinuxConfig(node, entry.mac, assets, args) });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}
