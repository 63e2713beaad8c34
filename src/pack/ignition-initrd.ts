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
 *   tens of MiB gains nothing that matters from compression, whose zlib set-up and deflate cost
 *   far more per node than the framing does.
 * - Not verified here: that an FCOS live initramfs accepts a gzip appended initrd.
 *
 * Verified (test/pack/cpio.test.ts): gunzip + `cpio -idm` restores config.ign at each OS's path with
 * mode 0600; identical bytes on two calls.
 */
import { PackMemory } from './pack-memory.ts';
import { storedGzip } from './stored-gzip.ts';
import { packCpioNewc } from './cpio.ts';

export type IgnitionInitrdOs = 'fcos' | 'flatcar';

/** Where each OS's initramfs looks for an embedded config. */
const IGNITION_INITRD_PATH: Readonly<Record<IgnitionInitrdOs, string>> = {
  fcos: 'config.ign',
  flatcar: 'usr/share/oem/config.ign',
};

/** `memory` keeps each archive layout for the caller's next initrds. */
export function packIgnitionInitrd(configJson: Uint8Array, os: IgnitionInitrdOs, memory = new PackMemory()): Uint8Array {
  return storedGzip(initrdArchive(configJson, os, memory));
}

/**
 * The cpio archive of one config. Two configs of the same length get archives that differ only in
 * the config's own bytes (same members, same headers: the size is the only field that depends on
 * the data), so a fleet's archives are copies of one layout per OS and length with the config set
 * into it (test/pack/cpio.test.ts compares with packCpioNewc).
 */
const TRAILER_MEMBER = 124; // 110-byte header + "TRAILER!!!\0", padded to 4

function initrdArchive(configJson: Uint8Array, os: IgnitionInitrdOs, memory: PackMemory): Uint8Array {
  const key = `${os}\0${configJson.length}`;
  const layout = memory.initrdLayout(key);
  if (layout) {
    const archive = layout.archive.slice();
    archive.set(configJson, layout.dataAt);
    return archive;
  }
  const archive = packCpioNewc([{ path: IGNITION_INITRD_PATH[os], mode: 0o600, data: configJson }]);
  // The config is the last member: its data ends, padded to 4 bytes, where the trailer begins.
  const dataAt = archive.length - TRAILER_MEMBER - Math.ceil(configJson.length / 4) * 4;
  if (Buffer.from(archive.buffer, archive.byteOffset + dataAt, configJson.length).equals(configJson)) {
    memory.keepInitrdLayout(key, { archive: archive.slice(), dataAt });
  }
  return archive;
}
