/**
 * An ISO 9660 (ECMA-119) image writer for small seed media: one root directory, no subdirectories,
 * Rock Ridge for exact POSIX names, and a Joliet tree (on by default) — the shape of
 * `genisoimage -joliet -rock`, which is what cloud-localds runs.
 *
 * Layout, in 2,048-byte sectors:
 *   0–15  system area (zeros)
 *   16    primary volume descriptor (level-1 names, Rock Ridge in the root directory)
 *   17    Joliet supplementary volume descriptor (UCS-2 level 3, escape "%/E"), if Joliet
 *   next  volume descriptor set terminator
 *   next  path tables: primary L and M, then Joliet L and M (one 10-byte record each: the root)
 *   next  primary root directory, then one sector of SUSP continuation area holding the ER entry
 *   next  Joliet root directory
 *   next  file data, each file from a sector boundary in name order; an empty file gets the next
 *         free sector number and no sectors (as genisoimage does).
 *
 * Determinism choices: every volume date is "not specified" (ECMA-119 8.4.26.1: sixteen '0' digits),
 * so blkid reports no UUID; every directory record date and Rock Ridge TF time is the Unix epoch
 * 1970-01-01 00:00:00 UTC; uid/gid 0; files mode 0444 and the root 0555 (a read-only medium);
 * identifiers other than the volume id and "LINUX" as system id are blank. Same input, same bytes.
 *
 * Limits: names are plain file names of 1–64 characters from [A-Za-z0-9._+~-] (all fit Joliet's 64
 * and keep every directory record under 255 bytes); a file is at most 4 GiB − 1 (one extent, no
 * multi-extent); the volume id is 1–32 characters from [A-Za-z0-9_.-] (Joliet keeps its first 16).
 *
 * Verified (test/pack/iso9660.test.ts, nocloud-seed.test.ts): `isoinfo -d` finds Joliet and Rock Ridge
 * (and no "BAD" SUSP entry), `isoinfo -R -l` and `-J -l` list the exact names, `isoinfo -R -x` and
 * `xorriso -osirrox on -extract` restore every file byte-equal (1 MiB, 1 MiB + 3, exactly 2,048, empty,
 * names that clash in 8.3 form, a root directory of several sectors), xorriso offers "Rock_Ridge
 * Joliet", `isovfy` finds no errors, `blkid -p` reports TYPE="iso9660" LABEL="<volume id>" and no UUID.
 * Not verified: a Linux kernel mount (this machine's kernel has no iso9660 driver: `mount -o loop`
 * fails with "unknown filesystem type"). The kernel enables Rock Ridge only when it finds ER through
 * the root's "." record, which is what the CE entry here provides (fs/isofs/rock.c).
 */
import { PackMemory } from './pack-memory.ts';
import { createHash, type Hash } from 'node:crypto';
import { invalidPackInput } from './invalid-pack-input.ts';
import {
  EPOCH_RECORD_DATE,
  SECTOR,
  sectorsFor,
  ucs2BE,
  writeAsciiPadded,
  writeU16Both,
  writeU16BE,
  writeU16LE,
  writeU32Both,
  writeU32BE,
  writeU32LE,
  writeUcs2Padded,
  writeUnspecifiedVolumeDate,
} from './iso9660-fields.ts';
import { compareLevel1, isValidIsoInputName, level1Identifier, level1Names } from './iso9660-names.ts';
import type { Level1Name } from './iso9660-names.ts';
import { CE_ENTRY_LENGTH, ceEntry, erEntry, fileEntries, rootParentEntries, rootSelfEntries } from './rock-ridge.ts';

export interface IsoFile {
  /** The file's name in the root directory, e.g. `user-data`. */
  readonly name: string;
  readonly data: Uint8Array;
}

export interface Iso9660Options {
  /** The volume label blkid and cloud-init read, e.g. `cidata`. */
  readonly volumeId: string;
  /** Add a Joliet tree (default true), as `genisoimage -joliet` does. */
  readonly joliet?: boolean;
}

const FIRST_DESCRIPTOR_SECTOR = 16;
const PATH_TABLE_LENGTH = 10;
const MAX_RECORD_LENGTH = 255;
const MAX_EXTENT_LENGTH = 0xffff_ffff;
const VOLUME_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const JOLIET_VOLUME_ID_CHARS = 16;
const FILE_MODE = 0o100444;
const DIRECTORY_MODE = 0o040555;
const FLAG_DIRECTORY = 0x02;
const SELF_ID = Uint8Array.of(0);
const PARENT_ID = Uint8Array.of(1);

interface PlacedFile {
  readonly name: string;
  readonly level1: Level1Name;
  readonly data: Uint8Array;
  readonly extent: number;
}

interface Layout {
  readonly terminator: number;
  readonly primaryPathTables: number;
  readonly jolietPathTables: number | undefined;
  readonly root: number;
  readonly rootLength: number;
  readonly continuation: number;
  readonly jolietRoot: number | undefined;
  readonly jolietRootLength: number;
  readonly files: readonly PlacedFile[];
  /** The first sector after the metadata: where file data starts. */
  readonly dataStart: number;
  readonly totalSectors: number;
}

const encoder = new TextEncoder();

/**
 * Everything before the first file's data (descriptors, path tables, directories) depends only on
 * the volume id and the files' names and sizes. A fleet's seeds share a few dozen such shapes, so
 * that region is built once per shape and copied; the file data is then laid at its extents.
 */
export interface IsoMetadata {
  /** Sectors FIRST_DESCRIPTOR_SECTOR up to the first file's extent. */
  readonly bytes: Uint8Array;
  /** SHA-256 state after the system area and the metadata: the image's digest continues from it. */
  readonly hashed: Hash;
  /** Extent of each file, in the sorted order. */
  readonly extents: readonly number[];
  readonly totalSectors: number;
}

/**
 * The image and its SHA-256 (hex), hashed as it is laid out rather than read back afterwards.
 * `memory` keeps the metadata of each shape for the caller's next images.
 */
export function packIso9660WithDigest(files: readonly IsoFile[], options: Iso9660Options, memory = new PackMemory()): { image: Uint8Array; sha256: string } {
  const joliet = options.joliet ?? true;
  checkInput(files, options.volumeId);
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let shape = `${options.volumeId}\0${joliet ? 1 : 0}`;
  for (const file of sorted) shape += `\0${file.name}\0${file.data.length}`;
  const metadata = memory.isoShape(shape, () => buildMetadata(sorted, options.volumeId, joliet));
  const image = new Uint8Array(metadata.totalSectors * SECTOR);
  image.set(metadata.bytes, FIRST_DESCRIPTOR_SECTOR * SECTOR);
  const hash = metadata.hashed.copy();
  // Files lie back to back from the end of the metadata, each padded with zeros to a whole sector
  // (an empty file takes none), so hashing each file and then its padding covers the rest of the image.
  sorted.forEach((file, index) => {
    image.set(file.data, (metadata.extents[index] ?? 0) * SECTOR);
    hash.update(file.data);
    const padding = sectorsFor(file.data.length) * SECTOR - file.data.length;
    if (padding > 0) hash.update(ZERO_SECTOR.subarray(0, padding));
  });
  return { image, sha256: hash.digest('hex') };
}

const ZERO_SECTOR = new Uint8Array(SECTOR);

function buildMetadata(sorted: readonly IsoFile[], volumeId: string, joliet: boolean): IsoMetadata {
  const names = level1Names(sorted.map((file) => file.name));

  // Record lengths never depend on extent numbers, so one dry run with a zero layout sizes the
  // directories; the real layout follows from those sizes.
  const er = erEntry();
  const dryFiles = sorted.map((file) => ({ ...file, level1: levelOne(names, file.name), extent: 0 }));
  const rootLength = directoryBytes(primaryRecords(dryLayout(dryFiles), er.length)).length;
  const jolietRootLength = joliet ? directoryBytes(jolietRecords(dryLayout(dryFiles))).length : 0;

  const layout = planLayout(dryFiles, joliet, rootLength, jolietRootLength);

  // Only the metadata region is written here; the caller lays the file data.
  const image = new Uint8Array(layout.dataStart * SECTOR);
  image.set(volumeDescriptor(1, volumeId, layout), FIRST_DESCRIPTOR_SECTOR * SECTOR);
  if (joliet) image.set(volumeDescriptor(2, volumeId, layout), (FIRST_DESCRIPTOR_SECTOR + 1) * SECTOR);
  image.set(terminatorDescriptor(), layout.terminator * SECTOR);
  writePathTables(image, layout.primaryPathTables, layout.root);
  if (layout.jolietPathTables !== undefined && layout.jolietRoot !== undefined) {
    writePathTables(image, layout.jolietPathTables, layout.jolietRoot);
  }
  image.set(directoryBytes(primaryRecords(layout, er.length)), layout.root * SECTOR);
  image.set(er, layout.continuation * SECTOR);
  if (layout.jolietRoot !== undefined) image.set(directoryBytes(jolietRecords(layout)), layout.jolietRoot * SECTOR);
  const hashed = createHash('sha256').update(new Uint8Array(FIRST_DESCRIPTOR_SECTOR * SECTOR));
  const bytes = image.slice(FIRST_DESCRIPTOR_SECTOR * SECTOR, layout.dataStart * SECTOR);
  hashed.update(bytes);
  return {
    bytes,
    hashed,
    extents: layout.files.map((file) => file.extent),
    totalSectors: layout.totalSectors,
  };
}

/** Assigns sectors in the order the header comment lists. */
function planLayout(
  files: readonly PlacedFile[],
  joliet: boolean,
  rootLength: number,
  jolietRootLength: number,
): Layout {
  let next = FIRST_DESCRIPTOR_SECTOR + 1 + (joliet ? 1 : 0);
  const terminator = next++;
  const primaryPathTables = next;
  next += 2;
  const jolietPathTables = joliet ? next : undefined;
  if (joliet) next += 2;
  const root = next;
  next += rootLength / SECTOR;
  const continuation = next++;
  const jolietRoot = joliet ? next : undefined;
  next += jolietRootLength / SECTOR;
  const dataStart = next;
  const placed = files.map((file) => {
    const extent = next;
    next += sectorsFor(file.data.length);
    return { ...file, extent };
  });
  return {
    terminator,
    primaryPathTables,
    jolietPathTables,
    root,
    rootLength,
    continuation,
    jolietRoot,
    jolietRootLength,
    files: placed,
    dataStart,
    totalSectors: next,
  };
}

function checkInput(files: readonly IsoFile[], volumeId: string): void {
  if (!VOLUME_ID.test(volumeId)) {
    throw invalidPackInput(
      'usage/invalid-option',
      `ISO 9660 volume id "${volumeId}" is not 1 to 32 characters from A-Z, a-z, 0-9, "_", "." and "-"`,
    );
  }
  const seen = new Set<string>();
  for (const file of files) {
    if (!isValidIsoInputName(file.name)) {
      throw invalidPackInput(
        'file/invalid-path',
        `ISO 9660 file name "${file.name}" is not a plain name of 1 to 64 characters from A-Z, a-z, 0-9, ".", "_", "+", "~" and "-"`,
      );
    }
    if (seen.has(file.name)) throw invalidPackInput('file/duplicate-path', `two ISO 9660 files are named "${file.name}"`);
    seen.add(file.name);
    if (file.data.length > MAX_EXTENT_LENGTH) {
      throw invalidPackInput('size/over-budget', `ISO 9660 file "${file.name}" is larger than one extent (4 GiB)`);
    }
  }
}

function levelOne(names: ReadonlyMap<string, Level1Name>, name: string): Level1Name {
  const level1 = names.get(name);
  if (level1 === undefined) throw new Error(`internal: no level-1 name for ${name}`);
  return level1;
}

function dryLayout(files: readonly PlacedFile[]): Layout {
  return {
    terminator: 0,
    primaryPathTables: 0,
    jolietPathTables: 0,
    root: 0,
    rootLength: 0,
    continuation: 0,
    jolietRoot: 0,
    jolietRootLength: 0,
    files,
    dataStart: 0,
    totalSectors: 0,
  };
}

interface RecordFields {
  readonly extent: number;
  readonly length: number;
  readonly flags: number;
  readonly identifier: Uint8Array;
  readonly systemUse?: readonly Uint8Array[];
}

/** ECMA-119 9.1: one directory record, padded to an even length. */
function directoryRecord(fields: RecordFields): Uint8Array {
  const idLength = fields.identifier.length;
  const suStart = 33 + idLength + (idLength % 2 === 0 ? 1 : 0);
  const suLength = (fields.systemUse ?? []).reduce((sum, entry) => sum + entry.length, 0);
  const length = suStart + suLength + ((suStart + suLength) % 2);
  if (length > MAX_RECORD_LENGTH) throw new Error(`internal: directory record of ${length} bytes`);
  const record = new Uint8Array(length);
  record[0] = length;
  writeU32Both(record, 2, fields.extent);
  writeU32Both(record, 10, fields.length);
  record.set(EPOCH_RECORD_DATE, 18);
  record[25] = fields.flags;
  writeU16Both(record, 28, 1); // volume sequence number
  record[32] = idLength;
  record.set(fields.identifier, 33);
  let offset = suStart;
  for (const entry of fields.systemUse ?? []) {
    record.set(entry, offset);
    offset += entry.length;
  }
  return record;
}

function primaryRecords(layout: Layout, erLength: number): Uint8Array[] {
  const self = { extent: layout.root, length: layout.rootLength, flags: FLAG_DIRECTORY };
  const files = [...layout.files].sort((a, b) => compareLevel1(a.level1, b.level1));
  return [
    directoryRecord({
      ...self,
      identifier: SELF_ID,
      systemUse: [...rootSelfEntries(DIRECTORY_MODE), ceEntry(layout.continuation, 0, erLength)],
    }),
    directoryRecord({ ...self, identifier: PARENT_ID, systemUse: rootParentEntries(DIRECTORY_MODE) }),
    ...files.map((file) =>
      directoryRecord({
        extent: file.extent,
        length: file.data.length,
        flags: 0,
        identifier: encoder.encode(level1Identifier(file.level1)),
        systemUse: fileEntries(file.name, FILE_MODE),
      }),
    ),
  ];
}

function jolietRecords(layout: Layout): Uint8Array[] {
  const self = { extent: layout.jolietRoot ?? 0, length: layout.jolietRootLength, flags: FLAG_DIRECTORY };
  // Joliet orders by UCS-2 code units; names are ASCII here, so string order is that order.
  return [
    directoryRecord({ ...self, identifier: SELF_ID }),
    directoryRecord({ ...self, identifier: PARENT_ID }),
    ...layout.files.map((file) =>
      directoryRecord({ extent: file.extent, length: file.data.length, flags: 0, identifier: ucs2BE(file.name) }),
    ),
  ];
}

/** Lays records into whole sectors; ECMA-119 6.8.1.1 forbids a record crossing a sector boundary. */
function directoryBytes(records: readonly Uint8Array[]): Uint8Array {
  const offsets: number[] = [];
  let offset = 0;
  for (const record of records) {
    if ((offset % SECTOR) + record.length > SECTOR) offset = Math.ceil(offset / SECTOR) * SECTOR;
    offsets.push(offset);
    offset += record.length;
  }
  const out = new Uint8Array(Math.max(1, sectorsFor(offset)) * SECTOR);
  records.forEach((record, index) => out.set(record, offsets[index] ?? 0));
  return out;
}

/** ECMA-119 8.4 (type 1) and Joliet's supplementary descriptor (type 2, UCS-2 text fields). */
function volumeDescriptor(type: 1 | 2, volumeId: string, layout: Layout): Uint8Array {
  const joliet = type === 2;
  const d = new Uint8Array(SECTOR);
  d[0] = type;
  writeAsciiPadded(d, 1, 5, 'CD001');
  d[6] = 1;
  const text = (at: number, width: number, value: string): void => {
    if (joliet) {
      writeUcs2Padded(d, at, width, value.slice(0, Math.floor(width / 2)));
      if (width % 2 === 1) d[at + width - 1] = 0;
    } else {
      writeAsciiPadded(d, at, width, value);
    }
  };
  text(8, 32, 'LINUX'); // system identifier
  text(40, 32, joliet ? volumeId.slice(0, JOLIET_VOLUME_ID_CHARS) : volumeId);
  writeU32Both(d, 80, layout.totalSectors);
  if (joliet) writeAsciiPadded(d, 88, 3, '%/E'); // UCS-2 level 3
  writeU16Both(d, 120, 1); // volume set size
  writeU16Both(d, 124, 1); // volume sequence number
  writeU16Both(d, 128, SECTOR);
  writeU32Both(d, 132, PATH_TABLE_LENGTH);
  const pathTables = joliet ? (layout.jolietPathTables ?? 0) : layout.primaryPathTables;
  writeU32LE(d, 140, pathTables);
  writeU32BE(d, 148, pathTables + 1);
  const rootRecord = directoryRecord({
    extent: joliet ? (layout.jolietRoot ?? 0) : layout.root,
    length: joliet ? layout.jolietRootLength : layout.rootLength,
    flags: FLAG_DIRECTORY,
    identifier: SELF_ID,
  });
  d.set(rootRecord, 156);
  text(190, 128, ''); // volume set
  text(318, 128, ''); // publisher
  text(446, 128, ''); // data preparer
  text(574, 128, ''); // application
  text(702, 37, ''); // copyright file
  text(739, 37, ''); // abstract file
  text(776, 37, ''); // bibliographic file
  for (const at of [813, 830, 847, 864]) writeUnspecifiedVolumeDate(d, at);
  d[881] = 1; // file structure version
  return d;
}

function terminatorDescriptor(): Uint8Array {
  const d = new Uint8Array(SECTOR);
  d[0] = 255;
  writeAsciiPadded(d, 1, 5, 'CD001');
  d[6] = 1;
  return d;
}

/** ECMA-119 9.4: the L (little-endian) table at `sector`, the M (big-endian) one right after. */
function writePathTables(image: Uint8Array, sector: number, rootExtent: number): void {
  const l = sector * SECTOR;
  const m = (sector + 1) * SECTOR;
  image[l] = 1; // directory identifier length
  writeU32LE(image, l + 2, rootExtent);
  writeU16LE(image, l + 6, 1); // parent directory number: the root is its own parent
  image[m] = 1;
  writeU32BE(image, m + 2, rootExtent);
  writeU16BE(image, m + 6, 1);
}
