/**
 * iPXE scripts. iPXE has no quoting: it splits a line on whitespace, treats the words `||`, `&&`
 * and `;` as command separators and a word starting with `#` as a comment, and expands `${...}`
 * anywhere. Every value here passed check-delivery.ts, so plain interpolation is safe;
 * `${mac:hexhyp}` is the one expansion we want.
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';
import type { NodeBootAssets } from './boot-assets.ts';
import type { KernelArgs } from './kernel-args.ts';

/** Chains each machine to its own script by MAC, relative to where boot.ipxe was fetched from. */
export function bootScript(cluster: string): string {
  return [
    '#!ipxe',
    `# kindling: cluster ${cluster}. Chain to this machine's own script, named by the MAC it booted from.`,
    'chain --autofree mac/${mac:hexhyp}.ipxe || goto unknown',
    ':unknown',
    `echo kindling: no boot script for \${mac:hexhyp} in cluster ${cluster}, trying the next boot device`,
    'exit 1',
    '',
  ].join('\n');
}

export function macScript(node: ResolvedNode, mac: string, assets: NodeBootAssets, args: KernelArgs): string {
  return [
    '#!ipxe',
    `# kindling: node ${node.name} (${node.os}, ${node.arch}), MAC ${mac}`,
    `kernel ${assets.kernelUrl} ${[args.initrd, ...args.args].join(' ')}`,
    `initrd --name ${assets.initrdName} ${assets.initrdUrl}`,
    'boot',
    '',
  ].join('\n');
}
