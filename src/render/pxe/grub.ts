/**
 * GRUB network-boot entries (`grub.cfg-01-<mac>`, the name GRUB's own config search tries after
 * the client UUID) and `grub.cfg`, which GRUB falls back to, and which is all that Debian's signed
 * netboot images (grubnetx64.efi) read: their built-in config sources <prefix>/grub.cfg without a
 * search. So grub.cfg loads the machine's entry by the MAC it booted from ($net_default_mac), and
 * runs the default entry when there is none. GRUB's lexer works like sh's: it ends a statement at `;`, `&` or `|`, expands `$name`,
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
export function grubPath(url: string): string {
  const u = new URL(url);
  const port = u.port && u.port !== '80' ? `:${u.port}` : '';
  const server = `${u.hostname}${port}`;
  return `${PLAIN.test(server) ? `(http,${server})` : grubWord(`(http,${server})`)}${grubWord(`${u.pathname}${u.search}`)}`;
}

export function grubConfig(node: ResolvedNode, mac: string, assets: NodeBootAssets, args: KernelArgs): string {
  const line = [args.initrd, ...args.args].map(grubQuote).join(' ');
  return [
    `# kindling: node ${node.name} (${node.os}, ${node.arch}), MAC ${mac}`,
    // grub.cfg reads this to tell a machine it found an entry for from one it did not.
    `set kindling_node=${node.name}`,
    'set timeout=1',
    `menuentry 'kindling ${node.name} (${node.os})' {`,
    `  linux ${grubPath(assets.kernelUrl)} ${line}`,
    `  initrd ${grubPath(assets.initrdUrl)}`,
    '}',
    '',
  ].join('\n');
}

/** grub/grub.cfg: the machine's own grub.cfg-01-<mac> if there is one, else `defaultLines`. */
export function grubDispatch(cluster: string, defaultLines: readonly string[]): string {
  const octet = '([0-9a-f]+)';
  return [
    `# kindling: cluster ${cluster}. Load this machine's entry, grub.cfg-01-<mac> beside this file, else the default entry.`,
    `regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^${Array(6).fill(octet).join(':')}$' "$net_default_mac"`,
    // A missing file is an error GRUB reports and moves past; kindling_node then stays unset.
    'source "$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6"',
    'if [ -z "$kindling_node" ]; then',
    ...defaultLines,
    'fi',
    '',
  ].join('\n');
}
