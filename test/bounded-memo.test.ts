import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../src/bounded-memo.ts';

describe('boundedMemo', () => {
  it('computes once per key, remembers falsy results too, and starts over at the limit', () => {
    const calls: string[] = [];
    const memo = boundedMemo(2, (key) => {
      calls.push(key);
      return key === 'none' ? null : key.length;
    });
    expect([memo('ab'), memo('ab'), memo('none'), memo('none')]).toEqual([2, 2, null, null]);
    expect(calls).toEqual(['ab', 'none']);
    memo('xyz'); // the table held 2 entries: it is emptied, then holds 'xyz'
    memo('ab');
    expect(calls).toEqual(['ab', 'none', 'xyz', 'ab']);
  });
});
