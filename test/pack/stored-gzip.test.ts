import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { storedGzip } from '../../src/pack/stored-gzip.ts';
import { pseudoRandomBytes } from './tools.ts';

/** Bytes that do not repeat in any short pattern (so nothing here could pass by accident). */
const bytes = (length: number): Uint8Array => pseudoRandomBytes(length, 0x9e3779b9);

/** zlib's level-0 gzip with the OS byte set to Unix, as kindling writes it. */
function zlibStored(data: Uint8Array): Buffer {
  const gz = gzipSync(data, { level: 0 });
  gz[9] = 3;
  return gz;
}

describe('storedGzip', () => {
  it('writes the very bytes of zlib at level 0 for configs of every size up to 60 KiB', () => {
    for (const length of [0, 1, 2, 100, 4095, 4096, 6400, 16_384, 32_768, 60_000]) {
      const data = bytes(length);
      expect(Buffer.from(storedGzip(data)).equals(zlibStored(data)), `length ${length}`).toBe(true);
    }
  });

  it('splits larger inputs into 64 KiB stored blocks that gunzip and gzip -t read back', () => {
    for (const length of [65_535, 65_536, 200_001]) {
      const data = bytes(length);
      const gz = storedGzip(data);
      expect(gz.length).toBe(10 + Math.ceil(length / 65_535) * 5 + length + 8);
      expect(Buffer.from(gunzipSync(gz)).equals(Buffer.from(data))).toBe(true);
      expect(() => execFileSync('gzip', ['-t'], { input: gz })).not.toThrow();
    }
  });
});
