/**
 * pxelinux entries (`pxelinux.cfg/01-<mac>`). lpxelinux fetches http:// URLs directly; the APPEND
 * line goes to the kernel verbatim, and INITRD adds `initrd=` itself.
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';
import type { NodeBootAssets } from './boot-assets.ts';
import type { KernelArgs } from './kernel-args.ts';

export function pxelinuxConfig(node: ResolvedNode, mac: string, assets: NodeBootAssets, args: KernelArgs): string {
  return [
    `# kindling: node ${node.name} (${node.os}, ${node.arch}), MAC ${mac}`,
    'DEFAULT kindling',
    'LABEL kindling',
    `  KERNEL ${assets.kernelUrl}`,
    `  INITRD ${assets.initrdUrl}`,
    `  APPEND ${args.args.join(' ')}`,
    '',
  ].join('\n');
}
