/**
 * What a provisioner needs to hand one node its first-boot config (pure), for manifest.json: the
 * config and seed files (relative to out/<cluster>/, as the manifest's artifacts are), the config
 * URLs under publishURL, the node's PXE entries, and QEMU and virt-install arguments that run as
 * printed: absolute paths, the node's MACs.
 *
 * - Ignition reads its config from the QEMU firmware config: `opt/org.flatcar-linux/config` on
 *   Flatcar, `opt/com.coreos/config` on Fedora CoreOS; libvirt passes it with a qemu command-line
 *   element (virt-install --qemu-commandline).
 * - cloud-init finds a NoCloud seed disk by its `cidata` label (QEMU gets the seed image kindling
 *   packed; virt-install makes its own from --cloud-init's files); without one, 22.4 also takes
 *   `ds=nocloud-net;s=<url>/` from the SMBIOS system serial.
 */
import type { ResolvedNode } from '../resolve/project-model.ts';
import { nodeConfigBase } from '../render/pxe/kernel-args.ts';
import { pxeEntries, type PxeEntry } from '../render/pxe/index.ts';
import type { BootLoader } from '../validate/profile-types.ts';
import { nodeFolder } from './node-folder.ts';

const FW_CFG_NAME = { flatcar: 'opt/org.flatcar-linux/config', fcos: 'opt/com.coreos/config' } as const;

/** Where a node's files are and how it is reached, relative to out/<cluster>/ (what a build knows). */
export interface NodeDeliveryFacts {
  /** The file the platform's user-data field or fw_cfg takes. */
  readonly config: string;
  /** Where the published config (Ignition) or NoCloud seed folder (cloud-init) is served. */
  readonly configURL?: string;
  /** The NoCloud seed image, when the build wrote one. */
  readonly seedImage?: string;
  /** The Ignition config as an extra PXE initrd, when the build wrote one. */
  readonly ignitionInitrd?: string;
  /** Install to disk: the disk, and on Flatcar the installer config its PXE boot runs (which fetches `config`). */
  readonly install?: { readonly disk: string; readonly installerConfig?: string; readonly installerConfigURL?: string };
  readonly pxe: readonly PxeEntry[];
}

/** Arguments to start the node as a VM, one array item per argv word, with absolute paths. */
export interface VmArguments {
  readonly qemu: readonly string[];
  readonly virtInstall: readonly string[];
}

/** QEMU splits option values on ',' and reads ',,' as a literal comma. */
function qemuValue(text: string): string {
  return text.replace(/,/g, ',,');
}

/** virt-install splits --qemu-commandline with Python's shlex: a word with anything else is single-quoted. */
function shlexWord(text: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(text) ? text : `'${text.replace(/'/g, `'"'"'`)}'`;
}

/**
 * @param files names of the files in the node's folder (e.g. config.ign, seed.iso), so facts only
 *   point at what exists.
 * @param loaders the boot loaders the build wrote PXE entries for (none: no entries).
 */
export function deliveryFacts(node: Pick<ResolvedNode, 'name' | 'os' | 'macs' | 'uuid' | 'serial' | 'install'>, files: readonly string[], publishURL?: string, loaders: readonly BootLoader[] = []): NodeDeliveryFacts {
  const dir = `${nodeFolder(node.name)}/`;
  const has = (name: string): boolean => files.includes(name);
  const pxe = pxeEntries(node, loaders);
  const base = publishURL !== undefined ? nodeConfigBase(publishURL, node.name) : undefined;
  if (node.os === 'cloud-init') {
    return {
      config: `${dir}user-data`,
      ...(base ? { configURL: base } : {}),
      ...(has('seed.iso') ? { seedImage: `${dir}seed.iso` } : {}),
      pxe,
    };
  }
  return {
    config: `${dir}config.ign`,
    ...(base ? { configURL: `${base}config.ign` } : {}),
    ...(has('ignition.img') ? { ignitionInitrd: `${dir}ignition.img` } : {}),
    ...(node.install ? { install: installFacts(node.install.disk, has('install.ign') ? `${dir}install.ign` : undefined, base) } : {}),
    pxe,
  };
}

/** Flatcar's PXE boot runs the installer config (install.ign) when the build wrote one; FCOS's live image installs config.ign itself. */
function installFacts(disk: string, installerConfig: string | undefined, base: string | undefined): NonNullable<NodeDeliveryFacts['install']> {
  if (installerConfig === undefined) return { disk };
  return { disk, installerConfig, ...(base ? { installerConfigURL: `${base}install.ign` } : {}) };
}

/**
 * QEMU and virt-install arguments for a node whose output folder is `root` (absolute): one NIC per
 * MAC (QEMU user networking, libvirt's default network; replace them with your bridge), and the
 * config the way each tool hands it over. `files` as for deliveryFacts.
 */
export function vmArguments(node: Pick<ResolvedNode, 'name' | 'os' | 'macs'>, facts: NodeDeliveryFacts, files: readonly string[], root: string): VmArguments {
  // `root` is absolute and the paths clean and relative (the layout's): joining needs no normalising.
  const at = (path: string): string => `${root}/${path}`;
  const qemuNics = node.macs.flatMap((mac) => ['-nic', `user,model=virtio-net-pci,mac=${mac}`]);
  const networks = node.macs.flatMap((mac) => ['--network', `network=default,mac=${mac}`]);
  if (node.os === 'cloud-init') {
    const dir = `${nodeFolder(node.name)}/`;
    const qemu = facts.seedImage
      ? ['-drive', `file=${qemuValue(at(facts.seedImage))},media=cdrom,format=raw,readonly=on`]
      : facts.configURL
        ? ['-smbios', `type=1,serial=${qemuValue(`ds=nocloud-net;s=${facts.configURL}`)}`]
        : [];
    // virt-install splits --cloud-init on ',' (no escape): a path holding one cannot be given there.
    const seedFiles = ['user-data', 'meta-data', 'network-config'].filter((name) => files.includes(name));
    const cloudInit = seedFiles.map((name) => `${name}=${at(dir + name)}`);
    const virtInstall = seedFiles.includes('user-data') && !cloudInit.some((part) => part.slice(part.indexOf('=') + 1).includes(',')) ? ['--cloud-init', cloudInit.join(',')] : [];
    return { qemu: [...qemu, ...qemuNics], virtInstall: [...virtInstall, ...networks] };
  }
  const fwCfg = `name=${FW_CFG_NAME[node.os]},file=${qemuValue(at(facts.config))}`;
  return {
    qemu: ['-fw_cfg', fwCfg, ...qemuNics],
    virtInstall: [`--qemu-commandline=-fw_cfg ${shlexWord(fwCfg)}`, ...networks],
  };
}
