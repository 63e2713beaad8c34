/**
 * GRUB network-boot entries (`grub.cfg-01-<mac>`, the first name GRUB's net_bootp config search
 * tries). GRUB's lexer works like sh's: it ends a statement at `;`, `&` or `|`, expands `$name`,
 * and with the regexp module loaded expands wildcards such as `*` in unquoted words. So any word
 * holding characters outside a plain set is single-quoted — as key='value' for a kernel argument,
 * the form cloud-init documents for `ds='nocloud-net;s=http://…/'`. GRUB fetches over plain http only.
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';
import type { NodeBootAssets } from './boot-assets.ts';
import type { KernelArgs } from './kernel-args.ts';

const PLAIN = /^[A-Za-z0-9._,:/=@%+-]*$/;

/** Text as one GRUB word: as is when plain, else in single quotes (a quote itself as '\''). */
function grubWord(text: string): string {
  return PLAIN.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** Quotes one kernel argument for a GRUB `linux` line. */
export function grubQuote(arg: string): string {
  if (PLAIN.test(arg)) return arg;
  const eq = arg.indexOf('=');
  return eq > 0 && PLAIN.test(arg.slice(0, eq)) ? `${arg.slice(0, eq + 1)}${grubWord(arg.slice(eq + 1))}` : grubWord(arg);
}

/**
 * An http(s) URL as a GRUB file path: (http,host)/path, or (http,host:port)/path. GRUB has no TLS,
 * and upstream GRUB up to 2.06 (Debian 12) always connects to port 80, so serve the assets on
 * http port 80 for GRUB clients; newer GRUB builds read the :port. The device and the path are
 * quoted apart, so a plain URL keeps GRUB's usual unquoted form.
 */
function grubPath(url: string): string {
  const u = new URL(url);
  const port = u.port && u.port !== '80' ? `:${u.port}` : '';
  const server = `${u.hostname}${port}`;
  return `${PLAIN.test(server) ? `(http,${server})` : grubWord(`(http,${server})`)}${grubWord(`${u.pathname}${u.search}`)}`;
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
