import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { goLikeGzip, makeDataUrl } from '../../src/butane/data-url.ts';
import { TranslationMemory } from '../../src/butane/translation-memory.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('makeDataUrl', () => {
  it('keeps short text percent-encoded with upper-case hex and %20 for spaces', () => {
    expect(makeDataUrl(bytes('node-1'), undefined)).toEqual({ source: 'data:,node-1', compression: '' });
    expect(makeDataUrl(bytes('extra=1\n'), undefined).source).toBe('data:,extra%3D1%0A');
    expect(makeDataUrl(bytes("a b!~*'()é"), undefined).source).toBe("data:,a%20b!~*'()%C3%A9");
  });

  it('writes an empty string as data:, with compression ""', () => {
    expect(makeDataUrl(new Uint8Array(0), undefined)).toEqual({ source: 'data:,', compression: '' });
  });

  it('switches to base64 only when strictly shorter than percent-encoding', () => {
    // 3 bytes needing escapes: "%3C%3E%26" (9+1) vs ";base64,PD4m" (12): stays percent-encoded.
    expect(makeDataUrl(bytes('<>&'), undefined).source).toBe('data:,%3C%3E%26');
    // Many escapes: base64 wins.
    const json = '{"a": "b", "c": [1, 2]}\n';
    expect(makeDataUrl(bytes(json), undefined).source).toBe(`data:;base64,${Buffer.from(json).toString('base64')}`);
  });

  it('gzips when that saves more than the 4 characters of "gzip", and the URL decodes back', () => {
    const text = 'line one of a repetitive file that compresses well\n'.repeat(6);
    const url = makeDataUrl(bytes(text), undefined);
    expect(url.compression).toBe('gzip');
    expect(url.source.startsWith('data:;base64,H4sIAAAAAAAC/')).toBe(true); // Go's header: mtime 0, XFL 2, OS 0xff
    expect(gunzipSync(Buffer.from(url.source.slice('data:;base64,'.length), 'base64')).toString()).toBe(text);
  });

  it('never compresses again when the user set compression: gzip, and keeps the value', () => {
    const text = 'x'.repeat(500);
    expect(makeDataUrl(bytes(text), 'gzip')).toEqual({ source: `data:,${text}`, compression: 'gzip' });
  });

  it('treats a user compression of "" like none, so gzip may still be chosen', () => {
    expect(makeDataUrl(bytes('x'.repeat(500)), '').compression).toBe('gzip');
  });

  it('gives the same answer from the inline cache as without it', () => {
    const text = 'cached\n'.repeat(40);
    const memory = new TranslationMemory();
    const first = memory.inlineDataUrl(text, undefined);
    expect(memory.inlineDataUrl(text, undefined)).toBe(first);
    expect(first).toEqual(makeDataUrl(bytes(text), undefined));
  });
});

describe('goLikeGzip', () => {
  it('produces the same bytes as a default level-9 zlib stream despite its smaller window and memory', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(rand() ** 2 * 40000);
      const alphabet = 'ab cdef\n{}":,0123456789xyz'.slice(0, 2 + (i % 24));
      const input = Buffer.alloc(n);
      for (let k = 0; k < n; k++) input[k] = i % 9 === 0 ? Math.floor(rand() * 256) : alphabet.charCodeAt(Math.floor(rand() * alphabet.length));
      const reference = gzipSync(input, { level: 9 });
      reference[9] = 0xff;
      expect(goLikeGzip(input).equals(reference), `input of ${n} bytes`).toBe(true);
    }
  });
});
