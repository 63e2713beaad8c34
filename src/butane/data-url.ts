/**
 * Butane's MakeDataURL: inline/local contents become the shortest of a percent-encoded data
 * URL, a base64 one, or (when the user chose no compression) a gzip+base64 one.
 *
 * The gzip bytes come from zlib, not Go's compress/flate, so a gzipped URL decodes to the same
 * contents as Butane's but is not byte-identical, and in rare borderline cases the
 * gzip-or-not choice can differ (see test/butane/fixtures.test.ts).
 */
import { gzipSync, constants } from 'node:zlib';

export interface DataUrl {
  readonly source: string;
  /** The compression Butane writes next to the URL: "gzip" if it compressed, else "". */
  readonly compression: string;
}

/** Bytes dataurl.Escape keeps as-is: [A-Za-z0-9-_.!~*'()]. */
const KEEP = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()") KEEP[c.charCodeAt(0)] = 1;
const HEX = '0123456789ABCDEF';

/**
 * The shortest gzip+base64 URL is 40 characters (20-byte gzip member); when the current URL is
 * no longer than that, gzip cannot win and we skip compressing (a speed shortcut only).
 */
const MIN_GZIP_WIN = 8 + 4 * Math.ceil(20 / 3) + 4;

function percentEncode(bytes: Uint8Array): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (KEEP[b] === 1) {
      run++;
      continue;
    }
    if (run > 0) out += latin1(bytes, i - run, i);
    run = 0;
    out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  if (run > 0) out += latin1(bytes, bytes.length - run, bytes.length);
  return out;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

function percentLength(bytes: Uint8Array): number {
  let n = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (KEEP[bytes[i]!] !== 1) n += 2;
  return n;
}

function base64Length(n: number): number {
  return 4 * Math.ceil(n / 3);
}

/**
 * Go-like gzip: level 9, mtime 0, OS byte 0xff (unknown) as Go's compress/gzip writes it.
 *
 * zlib's per-call setup dominates for small inputs (a level-9 stream allocates ~256 KiB), so
 * the window and memory level are shrunk to fit the input. This leaves the bytes unchanged:
 * with the window covering the whole input every match stays reachable, hash chains still hold
 * every true candidate (collisions never win), and the symbol buffer (2^(memLevel+6)) still
 * holds the whole input, so blocks end where they would have. test/butane/data-url.test.ts
 * checks the equivalence.
 */
export function goLikeGzip(bytes: Uint8Array): Buffer {
  const n = bytes.length;
  let windowBits = 9;
  while (windowBits < 15 && (1 << windowBits) - 262 < n) windowBits++;
  let memLevel = 1;
  while (memLevel < 8 && (1 << (memLevel + 6)) - 1 <= n) memLevel++;
  const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION, windowBits, memLevel });
  gz[9] = 0xff;
  return gz;
}

/**
 * @param userCompression the `compression` the user set on the resource (undefined = unset);
 *   when set (even to "gzip"), contents are not compressed again and the value is kept.
 */
export function makeDataUrl(contents: Uint8Array, userCompression: string | undefined): DataUrl {
  const pctLen = 1 + percentLength(contents);
  const b64Len = 8 + base64Length(contents.length);
  const useBase64 = b64Len < pctLen;
  const best = useBase64 ? b64Len : pctLen;
  const compression = userCompression ?? '';
  if (compression === '' && best > MIN_GZIP_WIN) {
    const gz = goLikeGzip(contents);
    if (8 + base64Length(gz.length) + 4 < best) {
      return { source: 'data:;base64,' + gz.toString('base64'), compression: 'gzip' };
    }
  }
  if (useBase64) {
    const b64 = Buffer.from(contents.buffer, contents.byteOffset, contents.length).toString('base64');
    return { source: 'data:;base64,' + b64, compression };
  }
  return { source: 'data:,' + percentEncode(contents), compression };
}
