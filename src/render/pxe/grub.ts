/**
 * GRUB network-boot entries (`grub.cfg-01-<mac>`, the first name GRUB's net_bootp config search
 * tries). GRUB's lexer ends a statement at `;` and expands `$name`, so any argument holding
 * characters outside a plain set is quoted as key='value' — the form cloud-init documents for
 * `ds='nocloud-net;s=http://…/'`. GRUB fetches over plain http only.
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';
import type { NodeBootAssets } from './boot-assets.ts';
import type { KernelArgs } from './kernel-args.ts';

const PLAIN = /^[A-Za-z0-9._,:/=@%+-]*$/;

/** Quotes one kernel argument for a GRUB `linux` line (values never hold `'`: check-delivery.ts). */
export function grubQuote(arg: string): string {
  if (PLAIN.test(arg)) return arg;
  const eq = arg.indexOf('=');
  return eq > 0 && PLAIN.test(arg.slice(0, eq)) ? `${arg.slice(0, eq + 1)}'${arg.slice(eq + 1)}'` : `'${arg}'`;
}

/**
 * An http(s) URL as a GRUB file path: (http,host)/path, or (http,host:port)/path. GRUB has no TLS,
 * and upstream GRUB up to 2.06 (Debian 12) always connects to port 80, so serve the assets on
 * http port 80 for GRUB clients; newer GRUB builds read the :port.
 */
export function grubPath(url: string): string {
  const u = new URL(url);
  const port = u.port && u.port !== '80' ? `:${u.port}` : '';
  return `(http,${u.hostname}${port})${u.pathname}${u.search}`;
}

export function grubConfig(node: ResolvedNode, mac: string, assets: NodeBootAssets, args: KernelArgs): string {
  const line = [args.initrd, ...args.args].map(grubQuote).join(' ');
  return [
    `# kindling: node ${node.name} (${node.os}, ${node.arch}), MAC ${mac}`,
    'set timeout=1',
    `menuentry 'kindling ${node.name} (${node.os})' {`,
    `  linux ${grubPath(assets.kernelUrl)} ${line}`,
    `  initrd ${grubPath(assets.initrdUrl)}`,
    '}',
    '',
  ].join('\n');
}
