/**
 * Which network boot loaders the build writes entries for (delivery.bootLoaders, in order of
 * preference). Absent, all three, except GRUB when it could not fetch the boot assets: GRUB has no
 * TLS, and upstream GRUB up to 2.06 (Debian 12) connects to port 80 whatever port a URL names
 * (see grub.ts). Every kernel and initrd URL a boot entry names lies under one base URL
 * (bootAssets.baseURL, else <publishURL>assets/), so that base decides for all of them.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ResolvedCluster } from '../../resolve/project-model.ts';
import type { BootLoader } from '../../validate/profile-types.ts';
import { assetBaseURL, grubUnreachable } from '../../validate/boot-urls.ts';

const ALL_BOOT_LOADERS: readonly BootLoader[] = Object.freeze(['ipxe', 'grub', 'pxelinux']);

export function chosenBootLoaders(cluster: Pick<ResolvedCluster, 'bootLoaders' | 'bootAssets' | 'origin'>, publishURL: string): { loaders: readonly BootLoader[]; diagnostics: Diagnostic[] } {
  // An explicit list naming an unreachable GRUB was refused by validation (check-delivery.ts).
  if (cluster.bootLoaders) return { loaders: cluster.bootLoaders, diagnostics: [] };
  const why = grubUnreachable(assetBaseURL(cluster.bootAssets, publishURL));
  if (why === undefined) return { loaders: ALL_BOOT_LOADERS, diagnostics: [] };
  return {
    loaders: ALL_BOOT_LOADERS.filter((loader) => loader !== 'grub'),
    diagnostics: [
      {
        code: 'delivery/grub-left-out',
        severity: 'info',
        message: `no GRUB entries are written: the boot assets at ${why}`,
        hint: 'serve the boot assets over http on port 80 (bootAssets.baseURL) to get GRUB entries, or set delivery.bootLoaders to say which loaders you use',
        location: cluster.origin,
      },
    ],
  };
}
