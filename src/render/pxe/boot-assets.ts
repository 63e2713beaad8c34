/**
 * Where a node's kernel, initrd (and FCOS live rootfs, or Ubuntu's installer ISO) come from:
 * `bootAssets.baseURL` + a name per OS, with defaults laid out as <os>/<arch>/<file> under
 * <publishURL>assets/, so one web server can hold everything out/<cluster>/ needs. A cloud-init
 * node that installs to disk boots Ubuntu's live-server installer instead of its live image.
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';
import type { BootAssetNames, BootAssetsSpec, OsName } from '../../validate/profile-types.ts';
import { assetBaseURL } from '../../validate/boot-urls.ts';

export interface NodeBootAssets {
  readonly kernelUrl: string;
  readonly initrdUrl: string;
  /** The name iPXE gives the initrd and the kernel is told (`initrd=<name>`), which UEFI needs. */
  readonly initrdName: string;
  readonly rootfsUrl?: string;
  /** Ubuntu's live-server ISO, which the installer fetches (`url=`) and installs from. */
  readonly isoUrl?: string;
  readonly kernelArgs: readonly string[];
}

type AssetSet = OsName | 'autoinstall';

/** Default asset names per OS; `<arch>` is the node's arch (amd64, arm64). */
const DEFAULT_BOOT_ASSETS: Readonly<Record<AssetSet, { kernel: string; initrd: string; rootfs?: string; iso?: string }>> = {
  flatcar: { kernel: 'flatcar/<arch>/flatcar_production_pxe.vmlinuz', initrd: 'flatcar/<arch>/flatcar_production_pxe_image.cpio.gz' },
  fcos: { kernel: 'fcos/<arch>/fedora-coreos-live-kernel', initrd: 'fcos/<arch>/fedora-coreos-live-initramfs.img', rootfs: 'fcos/<arch>/fedora-coreos-live-rootfs.img' },
  'cloud-init': { kernel: 'cloud-init/<arch>/vmlinuz', initrd: 'cloud-init/<arch>/initrd.img' },
  // The live-server ISO's casper/vmlinuz and casper/initrd, and the ISO itself.
  autoinstall: { kernel: 'ubuntu/<arch>/vmlinuz', initrd: 'ubuntu/<arch>/initrd', iso: 'ubuntu/<arch>/live-server.iso' },
};

/** Which asset set a node boots: its OS's, or Ubuntu's installer for a cloud-init node that installs. */
function assetSet(node: Pick<ResolvedNode, 'os' | 'install'>): AssetSet {
  return node.os === 'cloud-init' && node.install ? 'autoinstall' : node.os;
}


export function nodeBootAssets(assets: BootAssetsSpec | undefined, publishURL: string, node: Pick<ResolvedNode, 'os' | 'arch' | 'install'>): NodeBootAssets {
  const base = assetBaseURL(assets, publishURL);
  const set = assetSet(node);
  const given: (BootAssetNames & { rootfs?: string; iso?: string }) | undefined =
    set === 'flatcar' ? assets?.flatcar : set === 'fcos' ? assets?.fcos : set === 'autoinstall' ? assets?.autoinstall : assets?.cloudInit;
  const defaults = DEFAULT_BOOT_ASSETS[set];
  const url = (name: string): string => base + name.replace(/<arch>/g, node.arch);
  const initrdUrl = url(given?.initrd ?? defaults.initrd);
  const rootfs = given?.rootfs ?? defaults.rootfs;
  const iso = given?.iso ?? defaults.iso;
  return {
    kernelUrl: url(given?.kernel ?? defaults.kernel),
    initrdUrl,
    // FCOS documents `--name main`; Flatcar wants its initrd's own file name on the command line.
    initrdName: set === 'fcos' ? 'main' : initrdUrl.slice(initrdUrl.lastIndexOf('/') + 1),
    ...(rootfs !== undefined ? { rootfsUrl: url(rootfs) } : {}),
    ...(iso !== undefined ? { isoUrl: url(iso) } : {}),
    kernelArgs: given?.kernelArgs ?? [],
  };
}
