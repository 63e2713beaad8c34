/**
 * Ubuntu's install to disk by autoinstall (pure): the NoCloud seed nodes/<node>/autoinstall/
 * (user-data, meta-data) that the live-server installer reads when PXE boots it with
 * `autoinstall ds=nocloud-net;s=<publishURL>nodes/<node>/autoinstall/` (render/pxe/kernel-args.ts).
 *
 * user-data is a #cloud-config holding only `autoinstall:`, checked against ./autoinstall-schema.ts
 * (Ubuntu 22.04 and 24.04):
 * - storage: the `direct` layout (one root partition, no LVM) on the node's install.disk, picked by
 *   a match spec: the installer matches the kernel's name for a disk (`path`) or udev's ID_SERIAL
 *   (`serial`), never a /dev/disk/ link, so a by-id link of a bus that names the serial becomes
 *   `serial`, and any other link is refused at build time.
 * - user-data: the node's own cloud-config, as kindling renders it for a live boot, plus its
 *   hostname (a live boot takes that from meta-data, which the installed system does not get). The
 *   installer hands it to the installed system's cloud-init, so it runs at that system's first boot:
 *   the node's users with their SSH keys, files, units. With user-data given, the reference makes
 *   `identity` optional; kindling gives none, so the only accounts are the node's users (the image's
 *   default user when the node names none, as on a live boot).
 * - ssh: the server installed, passwords refused. No `authorized-keys`: without `identity` the
 *   installer gives them to cloud-init's default user, which a node that lists users does not have;
 *   each user's keys travel with the user in user-data.
 * - network: the node's static addressing as netplan v2 (the same document as its NoCloud
 *   network-config), which the installer applies to itself and writes into the installed system;
 *   without one, the installer's default: DHCP on every eth* and en* NIC, kept in the installed system.
 * - shutdown: reboot, into the installed system (the boot menu's default must then be the local disk).
 */
import { load } from 'js-yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedInstall, ResolvedNode } from '../../resolve/project-model.ts';
import { sha256Hex } from '../../sha256.ts';
import { metaDataText } from '../cloud-init/cloud-config.ts';
import { renderNetworkConfig } from '../cloud-init/network-config.ts';
import { dumpYaml } from '../dump-yaml.ts';
import { autoinstallProblems } from './autoinstall-schema.ts';

/** The seed's folder inside the node's folder; kernel-args.ts points the installer at it. */
const SEED_FOLDER = 'autoinstall';

type AutoinstallNode = Pick<ResolvedNode, 'name' | 'network'>;

interface AutoinstallSeed {
  /** `name`: inside the node's folder. */
  readonly files: readonly { readonly name: string; readonly kind: 'autoinstall-user-data' | 'autoinstall-meta-data'; readonly data: string }[];
  readonly diagnostics: Diagnostic[];
}

/** by-id links whose name is `<bus>-<ID_SERIAL>` (udev's 60-persistent-storage rules). */
const SERIAL_LINK = /^\/dev\/disk\/by-id\/(?:ata|nvme|scsi|usb|virtio)-(.+)$/;

/** The installer's match spec for the disk, or undefined when it cannot name that disk. */
function diskMatch(disk: string): { readonly path: string } | { readonly serial: string } | undefined {
  const serial = SERIAL_LINK.exec(disk)?.[1];
  if (serial !== undefined) return { serial };
  if (disk.startsWith('/dev/disk/')) return undefined;
  return { path: disk };
}

/**
 * The autoinstall document for a node, as data: `nodeUserData` is the node's own #cloud-config
 * (a plain YAML mapping; what renderCloudInit wrote for it).
 */
function autoinstallDocument(node: AutoinstallNode, nodeUserData: string, match: { readonly path: string } | { readonly serial: string }): Record<string, unknown> {
  const ownConfig = load(nodeUserData) as Record<string, unknown>;
  const networkConfig = renderNetworkConfig(node);
  return {
    autoinstall: {
      version: 1,
      storage: { layout: { name: 'direct', match: { ...match } } },
      ...(networkConfig !== undefined ? { network: load(networkConfig) } : {}),
      ssh: { 'install-server': true, 'allow-pw': false },
      shutdown: 'reboot',
      'user-data': { hostname: node.name, ...ownConfig },
    },
  };
}

export function renderAutoinstall(node: AutoinstallNode, install: ResolvedInstall, nodeUserData: string): AutoinstallSeed {
  const match = diskMatch(install.disk);
  if (match === undefined) {
    return {
      files: [],
      diagnostics: [
        {
          code: 'install/autoinstall-disk',
          severity: 'error',
          message: `Ubuntu's installer cannot find install.disk ${install.disk} of node '${node.name}': it matches a disk by its kernel name or its serial, not by a /dev/disk/ link`,
          hint: 'name the disk as the kernel does (e.g. /dev/sda, /dev/nvme0n1), or by its by-id link of the form /dev/disk/by-id/<bus>-<serial> (ata, nvme, scsi, usb, virtio)',
          location: install.origin,
        },
      ],
    };
  }
  const document = autoinstallDocument(node, nodeUserData, match);
  const problems = autoinstallProblems(document);
  if (problems.length > 0) {
    // Everything in the document comes from checked profile values: a problem here is kindling's own mistake.
    return {
      files: [],
      diagnostics: problems.map((problem) => ({
        code: 'install/autoinstall-invalid',
        severity: 'error',
        message: `kindling wrote an autoinstall document for node '${node.name}' that Ubuntu's installer would refuse: ${problem.path} ${problem.message}`,
        hint: 'this is a bug in kindling; please report it with the node\'s profile',
        location: install.origin,
      })),
    };
  }
  const userData =
    '#cloud-config\n' +
    `# Generated by kindling for node ${node.name}: Ubuntu's autoinstall, read by the live-server installer.\n` +
    '# Do not edit: change the profiles and run `kindling build` again.\n' +
    dumpYaml(document, { lineWidth: -1, noRefs: true });
  const instanceId = `iid-${node.name}-autoinstall-${sha256Hex(Buffer.from(userData, 'utf8')).slice(0, 12)}`;
  return {
    files: [
      { name: `${SEED_FOLDER}/user-data`, kind: 'autoinstall-user-data', data: userData },
      { name: `${SEED_FOLDER}/meta-data`, kind: 'autoinstall-meta-data', data: metaDataText(instanceId, node.name) },
    ],
    diagnostics: [],
  };
}
