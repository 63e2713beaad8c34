/**
 * Where a node's kernel, initrd (and FCOS live rootfs) come from: `bootAssets.baseURL` + a name per
 * OS, with defaults laid out as <os>/<arch>/<file> under <publishURL>assets/, so one web server can
 * hold everything out/<cluster>/ needs.
 */
import type { Arch, BootAssetNames, BootAssetsSpec, OsName } from '../../validate/profile-types.ts';

export interface NodeBootAssets {
  readonly kernelUrl: string;
  readonly initrdUrl: string;
  /** The name iPXE gives the initrd and the kernel is told (`initrd=<name>`), which UEFI needs. */
  readonly initrdName: string;
  readonly rootfsUrl?: string;
  readonly kernelArgs: readonly string[];
}

/** Default asset names per OS; `<arch>` is the node's arch (amd64, arm64). */
const DEFAULT_BOOT_ASSETS: Readonly<Record<OsName, { kernel: string; initrd: string; rootfs?: string }>> = {
  flatcar: { kernel: 'flatcar/<arch>/flatcar_production_pxe.vmlinuz', initrd: 'flatcar/<arch>/flatcar_production_pxe_image.cpio.gz' },
  fcos: { kernel: 'fcos/<arch>/fedora-coreos-live-kernel', initrd: 'fcos/<arch>/fedora-coreos-live-initramfs.img', rootfs: 'fcos/<arch>/fedora-coreos-live-rootfs.img' },
  'cloud-init': { kernel: 'cloud-init/<arch>/vmlinuz', initrd: 'cloud-init/<arch>/initrd.img' },
};

/** A base URL with exactly one trailing slash, so names join onto it. */
export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function nodeBootAssets(assets: BootAssetsSpec | undefined, publishURL: string, os: OsName, arch: Arch): NodeBootAssets {
  const base = withSlash(assets?.baseURL ?? `${withSlash(publishURL)}assets/`);
  const given: (BootAssetNames & { rootfs?: string }) | undefined = os === 'flatcar' ? assets?.flatcar : os === 'fcos' ? assets?.fcos : assets?.cloudInit;
  const defaults = DEFAULT_BOOT_ASSETS[os];
  const url = (name: string): string => base + name.replace(/<arch>/g, arch);
  const initrdUrl = url(given?.initrd ?? defaults.initrd);
  const rootfs = given?.rootfs ?? defaults.rootfs;
  return {
    kernelUrl: url(given?.kernel ?? defaults.kernel),
    initrdUrl,
    // FCOS documents `--name main`; Flatcar wants its initrd's own file name on the command line.
    initrdName: os === 'fcos' ? 'main' : initrdUrl.slice(initrdUrl.lastIndexOf('/') + 1),
    ...(rootfs !== undefined ? { rootfsUrl: url(rootfs) } : {}),
    kernelArgs: given?.kernelArgs ?? [],
  };
}
