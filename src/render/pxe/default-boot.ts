/**
 * What boot.ipxe does for a machine no node matches (delivery.defaultBoot), as iPXE script lines
 * after its `:default` label. None of them installs anything: they boot a live system without a
 * node config, Ubuntu's installer without autoinstall, or leave network boot.
 *
 * - local: UEFI firmware boots its next boot option once iPXE exits. On BIOS, iPXE boots the first
 *   hard disk itself (`sanboot --no-describe --drive 0x80`, what netboot.xyz does), because a BIOS
 *   may not try another device when a PXE program returns; without a bootable disk it exits anyway.
 * - fcos, flatcar, ubuntu-installer: the OS's boot assets for the machine's architecture, picked
 *   by ${buildarch} (x86_64 or i386 for x86 builds: undionly.kpxe is an i386 build; arm64).
 */
import type { Arch, BootAssetsSpec, DefaultBoot, OsName } from '../../validate/profile-types.ts';
import type { ResolvedInstall, ResolvedNode } from '../../resolve/project-model.ts';
import { nodeBootAssets, type NodeBootAssets } from './boot-assets.ts';

const ARCHES: readonly Arch[] = Object.freeze(['amd64', 'arm64']);

/**
 * nodeBootAssets picks Ubuntu's installer assets for a cloud-init node that installs; the default
 * entry runs that installer for an unknown machine, so it asks as such a node (no disk: nothing
 * here writes one).
 */
const INSTALLER: ResolvedInstall = Object.freeze({ disk: '', flatcar: { channel: 'stable' as const, version: 'current' }, origin: { file: '', line: 0, column: 0 } });

function defaultNode(boot: Exclude<DefaultBoot, 'local'>, arch: Arch): Pick<ResolvedNode, 'os' | 'arch' | 'install'> {
  const os: OsName = boot === 'ubuntu-installer' ? 'cloud-init' : boot;
  return boot === 'ubuntu-installer' ? { os, arch, install: INSTALLER } : { os, arch };
}

function kernelLine(boot: Exclude<DefaultBoot, 'local'>, assets: NodeBootAssets): string {
  const own =
    boot === 'fcos'
      ? [...(assets.rootfsUrl ? [`coreos.live.rootfs_url=${assets.rootfsUrl}`] : []), 'ignition.firstboot', 'ignition.platform.id=metal']
      : boot === 'ubuntu-installer'
        ? ['ip=dhcp', ...(assets.isoUrl ? [`url=${assets.isoUrl}`] : [])]
        : [];
  return `kernel ${assets.kernelUrl} ${[`initrd=${assets.initrdName}`, ...own, ...assets.kernelArgs].join(' ')}`;
}

export function defaultBootLines(boot: DefaultBoot, bootAssets: BootAssetsSpec | undefined, publishURL: string, cluster: string): string[] {
  const unknown = `echo kindling: no node of cluster ${cluster} has uuid \${uuid}, serial \${serial} or MAC \${mac}`;
  if (boot === 'local') {
    return [
      unknown,
      'echo kindling: leaving network boot for the next boot device',
      'iseq ${platform} efi && exit 1 ||',
      'sanboot --no-describe --drive 0x80 ||',
      'exit 1',
    ];
  }
  const lines = [unknown, `echo kindling: booting the default entry (${boot}), without a node config`, 'iseq ${buildarch} arm64 && goto default-arm64 ||'];
  // A failing `boot` ends the script, so the amd64 block never runs on into the arm64 one.
  for (const arch of ARCHES) {
    const assets = nodeBootAssets(bootAssets, publishURL, defaultNode(boot, arch));
    lines.push(`:default-${arch}`, kernelLine(boot, assets), `initrd --name ${assets.initrdName} ${assets.initrdUrl}`, 'boot');
  }
  return lines;
}
