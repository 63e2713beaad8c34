/**
 * System Use Sharing Protocol (SUSP 1.10) and Rock Ridge (RRIP 1.10, "RRIP_1991A") entries, the same
 * set and order genisoimage `-rock` writes: `SP RR PX TF CE` in the root's "." record (the `ER` that
 * announces Rock Ridge lives in a continuation area, because its standard texts would push the
 * record past 255 bytes), `RR NM PX TF` in a file's record.
 *
 * Why each one matters to a reader:
 * - SP (first entry of the root's "."): tells readers SUSP is in use at all.
 * - ER: the Linux kernel turns Rock Ridge on only when it finds ER while reading the root; without it
 *   a kernel mount shows Joliet or 8.3 names, and cloud-init would not find `user-data`.
 * - RR (RRIP 1.09 flags, still written by genisoimage): Linux stops reading a record's entries when an
 *   RR entry lacks the flag of the entry it looks for, so its flags must list every entry present.
 * - PX: POSIX mode, links, uid, gid (the 36-byte RRIP 1.10 form, without a serial number).
 * - NM: the real file name.
 * - TF: modify/access/attribute times, fixed at the Unix epoch like the directory record dates.
 */
import { EPOCH_RECORD_DATE, writeU32Both } from './iso9660-fields.ts';

const encoder = new TextEncoder();

const RR_PX = 0x01;
const RR_NM = 0x08;
const RR_TF = 0x80;

const ER_IDENTIFIER = 'RRIP_1991A';
const ER_DESCRIPTOR = 'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS';
const ER_SOURCE =
  'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.';

function entry(signature: string, body: readonly number[] | Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = signature.charCodeAt(0);
  out[1] = signature.charCodeAt(1);
  out[2] = out.length;
  out[3] = 1; // entry version
  out.set(body, 4);
  return out;
}

function spEntry(): Uint8Array {
  return entry('SP', [0xbe, 0xef, 0]); // check bytes, then "skip 0 bytes" before each record's entries
}

function rrEntry(flags: number): Uint8Array {
  return entry('RR', [flags]);
}

function pxEntry(mode: number, links: number): Uint8Array {
  const body = new Uint8Array(32);
  writeU32Both(body, 0, mode);
  writeU32Both(body, 8, links);
  // uid and gid (offsets 16 and 24) stay 0: root.
  return entry('PX', body);
}

function tfEntry(): Uint8Array {
  const flags = 0x0e; // modify, access and attributes times, 7-byte form
  return entry('TF', [flags, ...EPOCH_RECORD_DATE, ...EPOCH_RECORD_DATE, ...EPOCH_RECORD_DATE]);
}

function nmEntry(name: string): Uint8Array {
  return entry('NM', [0, ...encoder.encode(name)]);
}

/** A CE entry pointing at `length` bytes of continuation area at `block`:`offset`. */
export function ceEntry(block: number, offset: number, length: number): Uint8Array {
  const body = new Uint8Array(24);
  writeU32Both(body, 0, block);
  writeU32Both(body, 8, offset);
  writeU32Both(body, 16, length);
  return entry('CE', body);
}

export function erEntry(): Uint8Array {
  const id = encoder.encode(ER_IDENTIFIER);
  const descriptor = encoder.encode(ER_DESCRIPTOR);
  const source = encoder.encode(ER_SOURCE);
  return entry('ER', [id.length, descriptor.length, source.length, 1, ...id, ...descriptor, ...source]);
}

export const CE_ENTRY_LENGTH = 28;

/** Entries for the root's "." record, before its CE (which the caller appends once it is placed). */
export function rootSelfEntries(directoryMode: number): Uint8Array[] {
  return [spEntry(), rrEntry(RR_PX | RR_TF), pxEntry(directoryMode, 2), tfEntry()];
}

/** Entries for the root's ".." record (the root is its own parent). */
export function rootParentEntries(directoryMode: number): Uint8Array[] {
  return [rrEntry(RR_PX | RR_TF), pxEntry(directoryMode, 2), tfEntry()];
}

export function fileEntries(name: string, fileMode: number): Uint8Array[] {
  return [rrEntry(RR_PX | RR_NM | RR_TF), nmEntry(name), pxEntry(fileMode, 1), tfEntry()];
}
