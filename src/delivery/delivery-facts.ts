/**
 * What a provisioner needs to hand one node its first-boot config (pure), for manifest.json:
 * QEMU arguments, virt-install arguments, the config/seed URLs under publishURL, and the node's
 * PXE entries. Paths are relative to out/<cluster>/ (the manifest's folder): run QEMU from there,
 * or make them absolute (libvirt needs absolute paths).
 *
 * - Ignition reads its config from the QEMU firmware config: `opt/org.flatcar-linux/config` on
 *   Flatcar, `opt/com.coreos/config` on Fedora CoreOS.
 * - cloud-init finds a NoCloud seed disk by its `cidata` label; without one, 22.4 also takes
 *   `ds=nocloud-net;s=<url>/` from the SMBIOS system serial.
 */
import type { ResolvedNode } from '../resolve/project-model.ts';
import { nodeConfigBase } from '../render/pxe/kernel-args.ts';
import { pxeEntries, type PxeEntry } from '../render/pxe/index.ts';
import { nodeFolder } from './output-layout.ts';

const FW_CFG_NAME = { flatcar: 'opt/org.flatcar-linux/config', fcos: 'opt/com.coreos/config' } as const;

export interface NodeDeliveryFacts {
  /** The file the platform's user-data field or fw_cfg takes (relative to out/<cluster>/). */
  readonly config: string;
  /** Where the published config (Ignition) or NoCloud seed folder (cloud-init) is served. */
  readonly configURL?: string;
  /** QEMU command-line arguments, one array item per argv word. */
  readonly qemu: readonly string[];
  /** virt-install arguments, one array item per argv word (for cloud-init nodes: only with a seed image). */
  readonly virtInstall: readonly string[];
  /** The NoCloud seed image, when the build wrote one. */
  readonly seedImage?: string;
  /** The Ignition config as an extra PXE initrd, when the build wrote one. */
  readonly ignitionInitrd?: string;
  readonly pxe: readonly PxeEntry[];
}

/** QEMU splits option values on ',' and reads ',,' as a literal comma. */
function qemuValue(text: string): string {
  return text.replace(/,/g, ',,');
}

/**
 * @param files names of the files in the node's folder (e.g. config.ign, seed.iso), so facts only
 *   point at what exists.
 */
export function deliveryFacts(node: Pick<ResolvedNode, 'name' | 'os' | 'macs'>, files: readonly string[], publishURL?: string): NodeDeliveryFacts {
  const dir = `${nodeFolder(node.name)}/`;
  const has = (name: string): boolean => files.includes(name);
  const pxe = pxeEntries(node);
  const base = publishURL !== undefined ? nodeConfigBase(publishURL, node.name) : undefined;
  if (node.os === 'cloud-init') {
    const seed = has('seed.iso') ? `${dir}seed.iso` : undefined;
    const qemu = seed
      ? ['-drive', `file=${qemuValue(seed)},media=cdrom,format=raw,readonly=on`]
      : base
        ? ['-smbios', `type=1,serial=${qemuValue(`ds=nocloud-net;s=${base}`)}`]
        : [];
    const virtInstall = seed ? ['--disk', `path=${qemuValue(seed)},device=cdrom`] : [];
    return {
      config: `${dir}user-data`,
      ...(base ? { configURL: base } : {}),
      qemu,
      virtInstall,
      ...(seed ? { seedImage: seed } : {}),
      pxe,
    };
  }
  const config = `${dir}config.ign`;
  const fwCfg = `name=${FW_CFG_NAME[node.os]},file=${qemuValue(config)}`;
  return {
    config,
    ...(base ? { configURL: `${base}config.ign` } : {}),
    qemu: ['-fw_cfg', fwCfg],
    virtInstall: [`--qemu-commandline=-fw_cfg ${fwCfg}`],
    ...(has('ignition.img') ? { ignitionInitrd: `${dir}ignition.img` } : {}),
    pxe,
  };
}
