/**
 * The Ignition initrd (`ignition.img`): a compressed newc cpio holding the node's Ignition config,
 * loaded by the boot loader as an extra initrd after the OS's own initramfs.
 *
 * - Fedora CoreOS reads `/config.ign` (what `coreos-installer pxe ignition wrap` writes: one file at
 *   the archive root, mode 0100600, no directories). Flatcar reads `/usr/share/oem/config.ign`, so its
 *   archive carries `usr`, `usr/share` and `usr/share/oem` first.
 * - gzip, not coreos-installer's xz: Node has no xz, and gzip is what Flatcar documents and what
 *   every kernel initramfs unpacker (and `zcat | cpio -i`) reads. Stored, not compressed (level 0):
 *   a config of a few KiB next to an OS initramfs of tens of MiB gains nothing that matters from
 *   compression, which cost most of a node's pack time in a fleet (~100 µs of zlib set-up and
 *   deflate per node against ~20 µs). node:zlib writes mtime 0 and no file name; the OS byte is set
 *   to 3 (Unix) here so the bytes do not depend on the platform zlib was built for (the byte is
 *   outside the CRC, which covers only the data).
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
 * Stored blocks look nothing up, so zlib gets its smallest window and hash table: less memory to
 * set up per call. gzip records no window size; every inflater reads the stream the same way.
 */
const STORED = { level: constants.Z_NO_COMPRESSION, windowBits: 9, memLevel: 1 } as const;

export function packIgnitionInitrd(configJson: Uint8Array, os: IgnitionInitrdOs): Uint8Array {
  const archive = packCpioNewc([{ path: IGNITION_INITRD_PATH[os], mode: 0o600, data: configJson }]);
  const gz = new Uint8Array(gzipSync(archive, STORED));
  gz[GZIP_OS_BYTE] = GZIP_OS_UNIX;
  return gz;
}
