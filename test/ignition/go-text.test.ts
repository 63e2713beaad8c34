import { describe, expect, it } from 'vitest';
import { goPathClean, goPathExt, goQuote } from '../../src/ignition/go-text.ts';

describe('Go text helpers', () => {
  it('cleans paths like Go path.Clean (the examples of its documentation)', () => {
    const examples: [string, string][] = [
      ['a/c', 'a/c'], ['a//c', 'a/c'], ['a/c/.', 'a/c'], ['a/c/b/..', 'a/c'], ['/../a/c', '/a/c'],
      ['/../a/b/../././/c', '/a/c'], ['', '.'], ['/', '/'], ['../../x', '../../x'], ['/etc/', '/etc'],
    ];
    for (const [input, cleaned] of examples) expect([input, goPathClean(input)]).toEqual([input, cleaned]);
  });

  it('takes the extension of the last path element only', () => {
    expect(goPathExt('flanneld.service')).toBe('.service');
    expect(goPathExt('a.d/flanneld')).toBe('');
    expect(goPathExt('.service')).toBe('.service');
    expect(goPathExt('x.service.d')).toBe('.d');
  });

  it('quotes bytes like strconv.Quote', () => {
    const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(goQuote(bytes('junk'))).toBe('"junk"');
    expect(goQuote(bytes('a"b\\c\td\x01é'))).toBe('"a\\"b\\\\c\\td\\x01é"');
    expect(goQuote(new Uint8Array([0x61, 0xff]))).toBe('"a\\xff"');
  });
});
