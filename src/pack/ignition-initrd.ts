/**
 * The Ignition initrd (`ignition.img`): a compressed newc cpio holding the node's Ignition config,
 * loaded by the boot loader as an extra initrd after the OS's own initramfs.
 *
 * - Fedora CoreOS reads `/config.ign` (what `coreos-installer pxe ignition wrap` writes: one file at
 *   the archive root, mode 0100600, no directories). Flatcar reads `/usr/share/oem/config.ign`, so its
 *   archive carries `usr`, `usr/share` and `usr/share/oem` first.
 * - gzip, not coreos-installer's xz: Node has no xz, and gzip is a compression every kernel
 *   initramfs unpacker accepts. Level 9 for the smallest output, with a window sized to the input. node:zlib writes mtime 0 and no
 *   file name; the OS byte is set to 3 (Unix) here so the bytes do not depend on the platform zlib
 *   was built for (the byte is outside the CRC, which covers only the data).
 * - Not verified here: that an FCOS live initramfs accepts a gzip appended initrd (reference §1e).
 *
 * Verified (test/pack/cpio.test.ts): gunzip + `cpio -idm` restores config.ign at each OS's path with
 * mode 0600; identical bytes on two calls.
 */
import { gzipSync, constants } from 'node:zlib';
import { packCpioNewc } from './cpio.ts';

export type IgnitionInitrdOs = 'fcos' | 'flatcar';

/** Where each OS's initramfs looks for an embedded config. */
export const IGNITION_INITRD_PATH: Readonly<Record<IgnitionInitrdOs, string>> = {
  fcos: 'config.ign',
  flatcar: 'usr/share/oem/config.ign',
};

const GZIP_OS_BYTE = 9;
const GZIP_OS_UNIX = 3;

/**
 * The smallest deflate window that still spans the whole archive: matches cannot reach further back
 * than the input anyway, so the output is as small, but zlib sets up (and clears) far less memory —
 * for a typical 6 KiB config a third of the time of the default 32 KiB window. gzip records no
 * window size; every inflater, the kernel's included, reads any window up to 32 KiB.
 */
function windowBitsFor(length: number): number {
  return Math.min(15, Math.max(9, Math.ceil(Math.log2(Math.max(length, 1)))));
}

export function packIgnitionInitrd(configJson: Uint8Array, os: IgnitionInitrdOs): Uint8Array {
  const archive = packCpioNewc([{ path: IGNITION_INITRD_PATH[os], mode: 0o600, data: configJson }]);
  const gz = new Uint8Array(gzipSync(archive, { level: constants.Z_BEST_COMPRESSION, windowBits: windowBitsFor(archive.length) }));
  gz[GZIP_OS_BYTE] = GZIP_OS_UNIX;
  return gz;
}
