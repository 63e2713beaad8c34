/**
 * Each OS's kernel arguments for a PXE boot, and the x86 command-line limit.
 *
 * - Flatcar: `flatcar.first_boot=1` forces Ignition on a PXE boot; `initrd=<name>` must be present
 *   because Flatcar's kernel carries a second initramfs.
 * - FCOS live: `ignition.firstboot ignition.platform.id=metal` run Ignition; the rootfs comes from
 *   `coreos.live.rootfs_url` (2 GiB RAM instead of 4 for an appended rootfs).
 * - cloud-init: `ds=nocloud-net;s=<seed URL>/` is the only form 22.4 (Debian 12) accepts over HTTP,
 *   and 22.4 does not fetch network-config from an HTTP seed, so static addressing travels on the
 *   command line as `network-config=<base64>` (read by cloudinit/net/cmdline.py).
 * - Flatcar and FCOS with static addressing: dracut `ip=`/`nameserver=` arguments, so the initramfs
 *   has the address before Ignition fetches the config (static-address-args.ts).
 *
 * A node with `install` boots its OS's installer instead:
 * - FCOS: the same live image; `coreos.inst.install_dev` + `coreos.inst.ignition_url` start
 *   coreos-installer.service, which writes the disk and hands the node's own config.ign to the
 *   installed system's first boot (with the network arguments, which it forwards). The live system
 *   gets no config of its own: it only installs.
 * - Flatcar: the PXE image runs the small installer config nodes/<node>/install.ign, whose unit
 *   fetches config.ign, checks its sha512 and runs flatcar-install (render/install/).
 * - cloud-init: Ubuntu's live-server installer (casper) fetches the ISO from `url=` and runs
 *   autoinstall from the NoCloud seed nodes/<node>/autoinstall/; `cloud-config-url=/dev/null`
 *   stops casper from fetching the ISO a second time as a cloud-config.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedNode } from '../../resolve/project-model.ts';
import { renderNetworkConfig } from '../cloud-init/network-config.ts';
import type { NodeBootAssets } from './boot-assets.ts';
import { withSlash } from '../../validate/boot-urls.ts';
import { staticAddressArgs } from './static-address-args.ts';

/** COMMAND_LINE_SIZE on x86 (arch/x86/include/asm/setup.h) counts the terminating NUL. */
const CMDLINE_LIMIT = 2048;

export interface KernelArgs {
  /** `initrd=<name>`: iPXE and GRUB need it for UEFI; pxelinux adds it itself from INITRD. */
  readonly initrd: string;
  /** Everything else, in order. */
  readonly args: readonly string[];
}

/** Where the node's config is published: out/<cluster>/nodes/<node>/ under publishURL. */
export function nodeConfigBase(publishURL: string, node: string): string {
  return `${withSlash(publishURL)}nodes/${node}/`;
}

export function kernelArgs(node: ResolvedNode, assets: NodeBootAssets, publishURL: string): KernelArgs {
  const base = nodeConfigBase(publishURL, node.name);
  const initrd = `initrd=${assets.initrdName}`;
  let args: string[];
  if (node.os === 'flatcar') {
    args = ['flatcar.first_boot=1', `ignition.config.url=${base}${node.install ? 'install.ign' : 'config.ign'}`, ...staticAddressArgs(node)];
  } else if (node.os === 'fcos') {
    args = [
      ...(assets.rootfsUrl ? [`coreos.live.rootfs_url=${assets.rootfsUrl}`] : []),
      'ignition.firstboot',
      'ignition.platform.id=metal',
      ...(node.install
        ? [`coreos.inst.install_dev=${node.install.disk}`, `coreos.inst.ignition_url=${base}config.ign`]
        : [`ignition.config.url=${base}config.ign`]),
      ...staticAddressArgs(node),
    ];
  } else if (node.install) {
    args = ['ip=dhcp', ...(assets.isoUrl ? [`url=${assets.isoUrl}`] : []), 'autoinstall', `ds=nocloud-net;s=${base}autoinstall/`, 'cloud-config-url=/dev/null'];
  } else {
    args = [`ds=nocloud-net;s=${base}`];
    const networkConfig = renderNetworkConfig(node);
    if (networkConfig !== undefined) args.push(`network-config=${Buffer.from(networkConfig, 'utf8').toString('base64')}`);
  }
  return { initrd, args: [...args, ...assets.kernelArgs] };
}

/** The command line the kernel sees (the longest variant: with `initrd=`). */
function commandLine(args: KernelArgs): string {
  return [args.initrd, ...args.args].join(' ');
}

export function commandLineDiagnostic(node: ResolvedNode, args: KernelArgs): Diagnostic | undefined {
  const bytes = Buffer.byteLength(commandLine(args), 'utf8');
  if (bytes < CMDLINE_LIMIT) return undefined;
  return {
    code: 'size/cmdline-too-long',
    severity: 'error',
    message: `the PXE kernel command line of node '${node.name}' is ${bytes} bytes; x86 kernels keep at most ${CMDLINE_LIMIT - 1}`,
    hint: 'shorten publishURL or bootAssets.baseURL, drop kernelArgs, or deliver network settings on a seed disk instead of the command line',
    location: node.origin,
  };
}
