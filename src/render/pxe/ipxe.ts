/**
 * iPXE scripts. iPXE has no quoting: it splits a line on whitespace, treats the words `||`, `&&`
 * and `;` as command separators and a word starting with `#` as a comment, and expands `${...}`
 * anywhere. Every value here passed check-delivery.ts, so plain interpolation is safe; the
 * expansions we want are iPXE's own settings (`${uuid}`, `${serial:uristring}`, `${mac:hexhyp}`,
 * `${platform}`, `${buildarch}`).
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';
import type { NodeBootAssets } from './boot-assets.ts';
import type { KernelArgs } from './kernel-args.ts';

/** The image name boot.ipxe fetches a machine's own script under. */
const NODE_IMAGE = 'kindling-node';

/**
 * Finds the machine's own script by SMBIOS UUID, then SMBIOS serial number, then the MAC it booted
 * from, relative to where boot.ipxe was fetched from; else runs the default entry.
 *
 * Each lookup only fetches (imgfetch): a script that is not there (404, TFTP error) moves on to the
 * next lookup. The found script runs once all lookups are over, so a failure inside it (a kernel
 * that does not download) stops with a message instead of falling through to the default entry,
 * which `chain <url> || goto next` would do.
 */
export function bootScript(cluster: string, defaultLines: readonly string[]): string {
  return [
    '#!ipxe',
    `# kindling: cluster ${cluster}. Find this machine's own script by SMBIOS UUID, serial number, then MAC; else the default entry.`,
    `imgfetch --name ${NODE_IMAGE} uuid/\${uuid}.ipxe && goto found ||`,
    `imgfetch --name ${NODE_IMAGE} serial/\${serial:uristring}.ipxe && goto found ||`,
    `imgfetch --name ${NODE_IMAGE} mac/\${mac:hexhyp}.ipxe && goto found ||`,
    'goto default',
    ':found',
    `chain --autofree ${NODE_IMAGE} || goto failed`,
    ':failed',
    `echo kindling: this machine's boot script in cluster ${cluster} failed, trying the next boot device`,
    'exit 1',
    ':default',
    ...defaultLines,
    '',
  ].join('\n');
}

/** A node's own script, the same text under each of its names (uuid/, serial/, mac/). */
export function nodeScript(node: ResolvedNode, assets: NodeBootAssets, args: KernelArgs): string {
  return [
    '#!ipxe',
    `# kindling: node ${node.name} (${node.os}, ${node.arch})`,
    `kernel ${assets.kernelUrl} ${[args.initrd, ...args.args].join(' ')}`,
    `initrd --name ${assets.initrdName} ${assets.initrdUrl}`,
    'boot',
    '',
  ].join('\n');
}
