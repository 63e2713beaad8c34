/**
 * The Ignition initrd (`ignition.img`): a gzip-framed newc cpio holding the node's Ignition config,
 * loaded by the boot loader as an extra initrd after the OS's own initramfs.
 *
 * - Fedora CoreOS reads `/config.ign` (what `coreos-installer pxe ignition wrap` writes: one file at
 *   the archive root, mode 0100600, no directories). Flatcar reads `/usr/share/oem/config.ign`, so its
 *   archive carries `usr`, `usr/share` and `usr/share/oem` first.
 * - gzip, not coreos-installer's xz: Node has no xz, and gzip is what Flatcar documents and what
 *   every kernel initramfs unpacker (and `zcat | cpio -i`) reads. Stored, not compressed (the bytes
 *   zlib writes at level 0, see ./stored-gzip.ts): a config of a few KiB next to an OS initramfs of
 *   tens of MiB gains nothing that matters from compression, which took most of a node's pack time
 *   in a fleet (~100 µs of zlib set-up and deflate per node, against a few µs for framing).
 * - Not verified here: that an FCOS live initramfs accepts a gzip appended initrd (reference §1e).
 *
 * Verified (test/pack/cpio.test.ts): gunzip + `cpio -idm` restores config.ign at each OS's path with
 * mode 0600; identical bytes on two calls.
 */
import { storedGzip } from './stored-gzip.ts';
import { packCpioNewc } from './cpio.ts';

export type IgnitionInitrdOs = 'fcos' | 'flatcar';

/** Where each OS's initramfs looks for an embedded config. */
export const IGNITION_INITRD_PATH: Readonly<Record<IgnitionInitrdOs, string>> = {
  fcos: 'config.ign',
  flatcar: 'usr/share/oem/config.ign',
};

export function packIgnitionInitrd(configJson: Uint8Array, os: IgnitionInitrdOs): Uint8Array {
  const archive = packCpioNewc([{ path: IGNITION_INITRD_PATH[os], mode: 0o600, data: configJson }]);
  return storedGzip(archive);
}
