import { describe, expect, it } from 'vitest';
import { goJson, goString } from '../../src/butane/go-json.ts';
import { random } from '../helpers/random.ts';
import { TranslationMemory } from '../../src/butane/translation-memory.ts';

describe('goString (Go encoding/json escaping)', () => {
  it('escapes HTML characters and the JS line separators like Go', () => {
    expect(goString('a<b>&c')).toBe('"a\\u003cb\\u003e\\u0026c"');
    expect(goString('\u2028\u2029')).toBe('"\\u2028\\u2029"');
  });

  it('uses short escapes only for quote, backslash, \\n, \\r, \\t and lower-case \\u00xx otherwise', () => {
    expect(goString('"\\\n\r\t')).toBe('"\\"\\\\\\n\\r\\t"');
    expect(goString('\b\f\u001b\u0000')).toBe('"\\u0008\\u000c\\u001b\\u0000"');
  });

  it('writes DEL and non-ASCII raw, and a lone surrogate as \\ufffd', () => {
    expect(goString('\u007f é 😀')).toBe('"\u007f é 😀"');
    expect(goString('x\ud800y')).toBe('"x\\ufffdy"');
  });
});

describe('goJson', () => {
  const value = { b: 1, a: [true, 'x', { z: null }], e: [], o: {} };

  it('keeps insertion order and writes compact JSON without spaces', () => {
    expect(goJson(value, false)).toBe('{"b":1,"a":[true,"x",{"z":null}],"e":[],"o":{}}');
  });

  it('indents with two spaces like MarshalIndent (same layout as JSON.stringify)', () => {
    expect(goJson(value, true)).toBe(JSON.stringify(value, null, 2));
  });
});

describe('goJson compact form', () => {
  const ALPHABET = ['a', ' ', '\\', '"', 'b', 'f', 'u', 'd', '8', '\b', '\f', '\n', '\r', '\t', '\u0001', '\u001f', '\u007f', '<', '>', '&', '/', '\u2028', '\u2029', 'é', '\ud800', '\udc00', '\ud83d\ude00', '\\u', 'ud800'];

  it('writes every string as the character-by-character Go escaper does, inside objects and lists (20,000 strings)', () => {
    const rnd = random(0x1234567);
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const length = Math.floor(rnd() * 12);
      for (let j = 0; j < length; j++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
      const value = { path: s, list: [s, { inline: s }], mode: 420, overwrite: false };
      const expected = `{"path":${goString(s)},"list":[${goString(s)},{"inline":${goString(s)}}],"mode":420,"overwrite":false}`;
      expect({ s, json: goJson(value, false) }).toEqual({ s, json: expected });
    }
  });
});

describe('goJson compact form of configs that share frozen entries', () => {
  /** The plain recursive writer that the fast path must agree with. */
  function reference(v: unknown): string {
    if (typeof v === 'string') return goString(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : reference(x))).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const parts = Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${goString(k)}:${reference(x)}`);
      return `{${parts.join(',')}}`;
    }
    return 'null';
  }

  it('writes the same text as a plain walk whether an entry is frozen, shared, per-node or nested deeper (5,000 configs)', () => {
    const rnd = random(0x5eed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    const texts = ['a', '<b>&', 'line\nnext', '\u2028', 'é\ud83d\ude00', '"q"\\', ''];
    const entry = (depth: number): unknown => {
      const roll = rnd();
      if (depth > 4 || roll < 0.3) return pick<unknown>([pick(texts), 420, 0, true, false, null]);
      if (roll < 0.55) return Array.from({ length: Math.floor(rnd() * 3) }, () => (rnd() < 0.1 ? undefined : entry(depth + 1)));
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 4); i > 0; i--) out[pick(['path', 'mode', 'contents', 'x<y', 'overwrite'])] = rnd() < 0.1 ? undefined : entry(depth + 1);
      return out;
    };
    const memory = new TranslationMemory();
    const shared = Array.from({ length: 40 }, () => memory.reuse(entry(2)));
    for (let i = 0; i < 5000; i++) {
      const list = (): unknown[] => Array.from({ length: Math.floor(rnd() * 5) }, () => (rnd() < 0.6 ? pick(shared) : entry(2)));
      const config: Record<string, unknown> = {
        ignition: { version: '3.3.0' },
        storage: { files: list(), directories: list(), deeper: { more: list() } },
        systemd: rnd() < 0.5 ? { units: list() } : pick(shared),
        ...(rnd() < 0.2 ? { passwd: undefined } : {}),
      };
      expect(goJson(config, false, memory)).toBe(reference(config));
      expect(goJson(config, false)).toBe(reference(config));
    }
  });
});
