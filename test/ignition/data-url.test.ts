/**
 * Ignition's data URL check on large payloads, and a differential check that the chunked code
 * point handling gives the results of the spread-based code it replaced.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { checkDataUrl } from '../../src/ignition/data-url.ts';
import { codePointsOf, textOfCodePoints } from '../../src/ignition/code-points.ts';
import { random } from '../helpers/random.ts';
import { pseudoRandomBytes } from '../pack/tools.ts';

describe('Ignition data URL check', () => {
  it('accepts a base64 data URL of 300 KB of incompressible bytes', () => {
    const url = `data:;base64,${Buffer.from(pseudoRandomBytes(300 * 1024, 7)).toString('base64')}`;
    expect(checkDataUrl(url)).toBeNull();
  });

  it('accepts a 16 MiB percent-encoded data URL and still finds a bad escape at its end', () => {
    const body = 'a'.repeat(16 * 1024 * 1024);
    expect(checkDataUrl(`data:,${body}`)).toBeNull();
    expect(checkDataUrl(`data:,${body}%G0`)?.message).toBe('rfc2396: invalid char 0x25 in unescape sequence');
  });

  it('gives the same verdicts as before on 5,000 generated small URLs', () => {
    // The digest of these verdicts as the code that spread code points into String.fromCodePoint gave them.
    const PIECES = ['data:', 'text/plain', ';', ',', 'base64', '=', '"', '\\', '%', '%2', '%41', 'QUJD', 'QQ==', 'a', ' ', 'é', '😀', 'x-', '/', 'charset', 'utf-8', '\n', '+', 'Zm9v'];
    const next = random(20261203);
    const results: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let url = next() < 0.9 ? 'data:' : '';
      const n = Math.floor(next() * 12);
      for (let k = 0; k < n; k++) url += PIECES[Math.floor(next() * PIECES.length)];
      results.push(`${JSON.stringify(url)} ${checkDataUrl(url)?.message ?? null}`);
    }
    expect(createHash('sha256').update(results.join('\n')).digest('hex')).toBe('9ca7eb2452bcccd7d9741ede652ef8b6c3c49ab55579abb3e4071a97fcadb099');
  });
});

describe('code points', () => {
  it('turns any slice back into the text String.fromCodePoint gives for it, across chunk boundaries', () => {
    const next = random(99);
    const alphabet = ['a', 'é', '\u{1F600}', '\uD800', '\u0000', 'z', '\uFFFF'];
    for (const length of [0, 1, 7, 8191, 8192, 8193, 20000]) {
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const cps = codePointsOf(text);
      expect(Array.from(cps)).toEqual(Array.from(text).map((c) => c.codePointAt(0)));
      const from = Math.floor(next() * cps.length);
      const to = from + Math.floor(next() * (cps.length - from + 1));
      const small = Array.from(cps.subarray(from, Math.min(to, from + 5000)));
      expect(textOfCodePoints(cps, from, from + small.length)).toBe(String.fromCodePoint(...small));
      expect(textOfCodePoints(cps, 0, cps.length)).toBe(text);
    }
  });
});
