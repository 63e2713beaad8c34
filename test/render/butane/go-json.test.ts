import { describe, expect, it } from 'vitest';
import { goJson, goString } from '../../../src/render/butane/go-json.ts';

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
