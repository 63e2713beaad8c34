/**
 * A gzip member whose deflate stream is stored blocks only (RFC 1952 around RFC 1951 §3.2.4): the
 * same bytes as zlib's level 0 for inputs under 64 KiB, and valid gzip for any size. zlib is still
 * what checksums (its crc32); it is not what frames, because zlib sets up a stream object and some
 * 100 KiB of compressor state per call, ten times the cost of copying a few KiB of config, and a
 * fleet packs one initrd per node.
 *
 * Header: no name, mtime 0, XFL 4 (as zlib writes for level 0), OS 3 (Unix) so the bytes do not
 * depend on the platform.
 */
import { crc32 } from 'node:zlib';

const HEADER = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x04, 0x03] as const;
const MAX_STORED = 0xffff;

export function storedGzip(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED));
  const out = new Uint8Array(HEADER.length + blocks * 5 + data.length + 8);
  const view = new DataView(out.buffer);
  out.set(HEADER, 0);
  let at = HEADER.length;
  for (let block = 0; block < blocks; block++) {
    const chunk = data.subarray(block * MAX_STORED, Math.min(data.length, (block + 1) * MAX_STORED));
    out[at] = block === blocks - 1 ? 1 : 0; // BFINAL on the last block; BTYPE 00 (stored)
    view.setUint16(at + 1, chunk.length, true);
    view.setUint16(at + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  view.setUint32(at, crc32(data), true);
  view.setUint32(at + 4, data.length >>> 0, true);
  return out;
}
