/**
 * What a machine no node matches boots (delivery.defaultBoot), for each loader: boot.ipxe's
 * `:default` lines, grub/grub.cfg's and pxelinux.cfg/default. None of them installs anything: they
 * boot a live system without a node config, Ubuntu's installer without autoinstall, or leave
 * network boot.
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
import { grubPath, grubQuote } from './grub.ts';

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

/** The default entry's assets and kernel arguments for one architecture (initrd= first, as the node entries have it). */
function defaultKernel(boot: Exclude<DefaultBoot, 'local'>, bootAssets: BootAssetsSpec | undefined, publishURL: string, arch: Arch): { assets: NodeBootAssets; args: string[] } {
  const assets = nodeBootAssets(bootAssets, publishURL, defaultNode(boot, arch));
  const own =
    boot === 'fcos'
      ? [...(assets.rootfsUrl ? [`coreos.live.rootfs_url=${assets.rootfsUrl}`] : []), 'ignition.firstboot', 'ignition.platform.id=metal']
      : boot === 'ubuntu-installer'
        ? ['ip=dhcp', ...(assets.isoUrl ? [`url=${assets.isoUrl}`] : [])]
        : [];
  return { assets, args: [`initrd=${assets.initrdName}`, ...own, ...assets.kernelArgs] };
}

/** boot.ipxe's lines after its `:default` label. */
export function ipxeDefaultLines(boot: DefaultBoot, bootAssets: BootAssetsSpec | undefined, publishURL: string, cluster: string): string[] {
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
    const { assets, args } = defaultKernel(boot, bootAssets, publishURL, arch);
    lines.push(`:default-${arch}`, `kernel ${assets.kernelUrl} ${args.join(' ')}`, `initrd --name ${assets.initrdName} ${assets.initrdUrl}`, 'boot');
  }
  return lines;
}

/**
 * grub.cfg's lines for a machine whose MAC has no entry. GRUB runs only on UEFI here, where `exit`
 * hands back to the firmware, which starts its next boot option; ${grub_cpu} is x86_64 or arm64.
 */
export function grubDefaultLines(boot: DefaultBoot, bootAssets: BootAssetsSpec | undefined, publishURL: string, cluster: string): string[] {
  const unknown = `  echo "kindling: no node of cluster ${cluster} has MAC $net_default_mac"`;
  if (boot === 'local') return [unknown, '  echo "kindling: leaving network boot for the next boot device"', '  exit'];
  const entry = (arch: Arch): string[] => {
    const { assets, args } = defaultKernel(boot, bootAssets, publishURL, arch);
    return [`    menuentry 'kindling default (${boot})' {`, `      linux ${grubPath(assets.kernelUrl)} ${args.map(grubQuote).join(' ')}`, `      initrd ${grubPath(assets.initrdUrl)}`, '    }'];
  };
  return [unknown, '  set timeout=1', '  if [ "$grub_cpu" = arm64 ]; then', ...entry('arm64'), '  else', ...entry('amd64'), '  fi'];
}

/** pxelinux.cfg/default: pxelinux runs on x86 BIOS only; LOCALBOOT 0 returns to the BIOS, which boots the next device. */
export function pxelinuxDefault(boot: DefaultBoot, bootAssets: BootAssetsSpec | undefined, publishURL: string, cluster: string): string {
  const head = [`# kindling: cluster ${cluster}, the default entry (${boot}) for a machine no node's MAC matches`, 'DEFAULT kindling', 'LABEL kindling'];
  if (boot === 'local') return [...head, '  LOCALBOOT 0', ''].join('\n');
  const { assets, args } = defaultKernel(boot, bootAssets, publishURL, 'amd64');
  return [...head, `  KERNEL ${assets.kernelUrl}`, `  INITRD ${assets.initrdUrl}`, `  APPEND ${args.slice(1).join(' ')}`, ''].join('\n');
}
