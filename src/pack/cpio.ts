/**
 * A cpio archive writer in the "newc" format (SVR4 without CRC, magic "070701"): the format the Linux
 * kernel unpacks into the initramfs, and the one coreos-installer's `pxe ignition wrap` emits.
 *
 * Format choices, all for byte-identical output from the same input:
 * - every header is 110 ASCII bytes: the magic and thirteen 8-digit upper-case hex fields; the name
 *   follows NUL-terminated and padded so the data starts on a 4-byte boundary, and the data is padded
 *   to 4 bytes too; the archive ends with the `TRAILER!!!` entry, padded to 4 bytes (no 512-byte
 *   block padding: the kernel and GNU cpio do not need it, and the gzip around it hides it anyway);
 * - mtime 0, uid/gid 0, device numbers 0, check 0;
 * - entries sorted by the UTF-8 bytes of their path, each missing parent directory emitted (mode
 *   040755, nlink 2) before anything inside it, so the kernel can create files without mkdir -p;
 * - inode numbers count up from 1 in that order. Regular files get nlink 1 and distinct inodes:
 *   the kernel treats a newc file with nlink >= 2 as a hard link candidate keyed by its inode.
 *
 * Verified (test/pack/cpio.test.ts): GNU `cpio -itv` lists the modes, `cpio -idm` restores the
 * bytes, and two calls give identical bytes.
 */
import { invalidPackInput } from './invalid-pack-input.ts';

export interface CpioEntry {
  /** Relative path inside the archive, `/`-separated, e.g. `usr/share/oem/config.ign`. */
  readonly path: string;
  /** Permission bits only, e.g. 0o600; the file-type bits are added here. */
  readonly mode: number;
  readonly data: Uint8Array;
}

const MAGIC = '070701';
const HEADER_LENGTH = 110;
const TRAILER_NAME = 'TRAILER!!!';
const TYPE_FILE = 0o100000;
const TYPE_DIRECTORY = 0o040000;
const DIRECTORY_MODE = TYPE_DIRECTORY | 0o755;
/** The kernel's PATH_MAX includes the terminating NUL. */
const MAX_PATH_BYTES = 4095;
const MAX_FIELD = 0xffff_ffff;

interface Member {
  readonly name: Uint8Array;
  readonly mode: number;
  readonly nlink: number;
  readonly data: Uint8Array;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export function packCpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const members = collectMembers(entries);
  let total = 0;
  for (const member of members) total += memberLength(member);
  total += memberLength(trailer());

  const out = new Uint8Array(total);
  let offset = 0;
  members.forEach((member, index) => {
    offset = writeMember(out, offset, member, index + 1);
  });
  offset = writeMember(out, offset, trailer(), 0);
  return out;
}

/** Validates entries and returns files plus implied parent directories, sorted by path bytes. */
function collectMembers(entries: readonly CpioEntry[]): Member[] {
  const files = new Map<string, CpioEntry>();
  const directories = new Set<string>();
  for (const entry of entries) {
    checkPath(entry.path);
    checkMode(entry);
    if (entry.data.length > MAX_FIELD) {
      throw invalidPackInput('size/over-budget', `cpio entry "${entry.path}" is larger than newc's 4 GiB limit`);
    }
    if (files.has(entry.path)) {
      throw invalidPackInput('file/duplicate-path', `two cpio entries have the path "${entry.path}"`);
    }
    files.set(entry.path, entry);
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  for (const directory of directories) {
    if (files.has(directory)) {
      throw invalidPackInput(
        'file/duplicate-path',
        `cpio entry "${directory}" is a file but other entries need it to be a directory`,
      );
    }
  }

  const members: Member[] = [];
  for (const directory of directories) {
    members.push({ name: encoder.encode(directory), mode: DIRECTORY_MODE, nlink: 2, data: EMPTY });
  }
  for (const entry of files.values()) {
    members.push({ name: encoder.encode(entry.path), mode: TYPE_FILE | entry.mode, nlink: 1, data: entry.data });
  }
  // Byte order, not UTF-16 order, so the result does not depend on how JS compares strings;
  // a parent is a prefix of its children, so it always sorts first.
  return members.sort((a, b) => Buffer.compare(a.name, b.name));
}

function checkPath(path: string): void {
  const problem =
    path === ''
      ? 'is empty'
      : path.startsWith('/')
        ? 'is absolute'
        : path.includes('\0')
          ? 'contains a NUL byte'
          : path.split('/').some((part) => part === '' || part === '.' || part === '..')
            ? 'has an empty, "." or ".." component'
            : path === TRAILER_NAME
              ? 'is the name cpio reserves for the end of the archive'
              : encoder.encode(path).length > MAX_PATH_BYTES
                ? `is longer than ${MAX_PATH_BYTES} bytes`
                : undefined;
  if (problem !== undefined) {
    throw invalidPackInput(
      'file/invalid-path',
      `cpio entry path "${path}" ${problem}`,
      'use a relative path such as "usr/share/oem/config.ign"',
    );
  }
}

function checkMode(entry: CpioEntry): void {
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 0o7777) {
    throw invalidPackInput(
      'file/invalid-mode',
      `cpio entry "${entry.path}" has mode ${String(entry.mode)}, which is not permission bits (0 to 0o7777)`,
    );
  }
}

function trailer(): Member {
  return { name: encoder.encode(TRAILER_NAME), mode: 0, nlink: 1, data: EMPTY };
}

/** Arithmetic rather than `& ~3`, which would wrap above 2 GiB. */
function pad4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function memberLength(member: Member): number {
  return pad4(HEADER_LENGTH + member.name.length + 1) + pad4(member.data.length);
}

function writeMember(out: Uint8Array, start: number, member: Member, inode: number): number {
  const fields = [
    inode,
    member.mode,
    0, // uid
    0, // gid
    member.nlink,
    0, // mtime
    member.data.length,
    0, // devmajor
    0, // devminor
    0, // rdevmajor
    0, // rdevminor
    member.name.length + 1, // namesize counts the NUL
    0, // check (always 0 in newc; only "070702" uses it)
  ];
  const header = MAGIC + fields.map((field) => field.toString(16).toUpperCase().padStart(8, '0')).join('');
  out.set(encoder.encode(header), start);
  let offset = start + HEADER_LENGTH;
  out.set(member.name, offset);
  // The NUL terminator and the padding are already zero in a fresh Uint8Array.
  offset = start + pad4(HEADER_LENGTH + member.name.length + 1);
  out.set(member.data, offset);
  return offset + pad4(member.data.length);
}
