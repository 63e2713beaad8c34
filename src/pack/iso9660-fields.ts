/**
 * Field encoders for ECMA-119 (ISO 9660) structures. ISO 9660 stores most numbers "both-endian"
 * (little-endian copy, then big-endian copy) so readers of either byte order can use them directly;
 * text fields are fixed-width and padded with spaces.
 */

export const SECTOR = 2048;

export function writeU16LE(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
}

export function writeU16BE(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 8) & 0xff;
  out[at + 1] = value & 0xff;
}

export function writeU32LE(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 24) & 0xff;
}

export function writeU32BE(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 24) & 0xff;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/** ECMA-119 7.2.3: 16-bit both-byte orders (4 bytes). */
export function writeU16Both(out: Uint8Array, at: number, value: number): void {
  writeU16LE(out, at, value);
  writeU16BE(out, at + 2, value);
}

/** ECMA-119 7.3.3: 32-bit both-byte orders (8 bytes). */
export function writeU32Both(out: Uint8Array, at: number, value: number): void {
  writeU32LE(out, at, value);
  writeU32BE(out, at + 4, value);
}

/** A fixed-width ASCII field padded with spaces (ECMA-119 a- and d-character fields). */
export function writeAsciiPadded(out: Uint8Array, at: number, width: number, text: string): void {
  for (let i = 0; i < width; i++) out[at + i] = i < text.length ? text.charCodeAt(i) : 0x20;
}

/** A fixed-width UCS-2 big-endian field padded with U+0020, as Joliet's descriptors require. */
export function writeUcs2Padded(out: Uint8Array, at: number, width: number, text: string): void {
  for (let i = 0; i + 1 < width; i += 2) {
    writeU16BE(out, at + i, i / 2 < text.length ? text.charCodeAt(i / 2) : 0x20);
  }
}

export function ucs2BE(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) writeU16BE(out, i * 2, text.charCodeAt(i));
  return out;
}

/**
 * ECMA-119 8.4.26.1: a 17-byte volume date "not specified" (sixteen '0' digits and a zero offset).
 * Chosen over a fixed epoch so blkid derives no UUID from it: the image has no identity but its bytes.
 */
export function writeUnspecifiedVolumeDate(out: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) out[at + i] = 0x30;
  out[at + 16] = 0;
}

/**
 * ECMA-119 9.1.5: the 7-byte recording date of a directory record, fixed at the Unix epoch
 * 1970-01-01 00:00:00 UTC (years since 1900, month, day, hour, minute, second, offset 0): readers
 * show every file with mtime 0, as the cpio writer does. All-zero would be month 0, which is invalid.
 */
export const EPOCH_RECORD_DATE: readonly number[] = [70, 1, 1, 0, 0, 0, 0];

export function sectorsFor(bytes: number): number {
  return Math.ceil(bytes / SECTOR);
}
