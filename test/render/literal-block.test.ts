import { describe, expect, it } from 'vitest';
import { dump, load } from 'js-yaml';
import { literalBlock } from '../../src/render/literal-block.ts';

const OPTIONS = { lineWidth: -1, noRefs: true } as const;

/**
 * What js-yaml writes for the value under a key at column 2 of a list item: the reference, less the
 * `...` document end js-yaml adds after a keep-chomped (`|+`) block, which has no place mid-document.
 */
function viaDump(value: string): string {
  let text = dump([{ path: '/x', content: value }], OPTIONS);
  if (text.endsWith('\n...\n')) text = text.slice(0, -4);
  return text.slice(text.indexOf('  content: ') + '  content: '.length, -1);
}

/** A small deterministic generator (xorshift), so a failure reproduces. */
function strings(count: number, seed: number): string[] {
  const alphabet = ['a', 'Z', '0', ' ', ' ', '\n', '\n', '#', ':', '-', '---', '...', '"', "'", '|', '>', '%', '@', '`', '\\', '{', '[', '*', '&', '!', '=', '~', '\t', '\r', 'é', '\u2028'];
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  return Array.from({ length: count }, () => {
    let s = '';
    const length = Math.floor(next() * 24);
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  });
}

describe('literalBlock', () => {
  it('writes what js-yaml dump writes for every string it accepts, across 40,000 generated strings', () => {
    let accepted = 0;
    for (const value of strings(40_000, 0x2545f491)) {
      const fast = literalBlock(value, 2);
      if (fast === undefined) continue;
      accepted++;
      expect(fast, JSON.stringify(value)).toBe(viaDump(value));
    }
    // The generator must exercise the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(3_000);
  });

  it('matches js-yaml on the shapes a unit file takes: leading spaces, blank lines, missing or extra final newlines', () => {
    const cases = ['[Unit]\nDescription=x\n', ' indented\nnext\n', '\n\n leading blank lines\n', 'no final newline\nx', 'two finals\n\n', 'a\n\n\nb\n', '---\nx\n', '... \n', 'x: y\n# c\n'];
    for (const value of cases) expect(literalBlock(value, 2), JSON.stringify(value)).toBe(viaDump(value));
  });

  it('reads back as the same string', () => {
    const value = '[Service]\nEnvironment=NODE_NAME=node-1\n\nExecStart=/opt/bin/flanneld --iface=eth0\n';
    const text = `content: ${literalBlock(value, 0)}\n`;
    expect((load(text) as { content: string }).content).toBe(value);
  });

  it('declines single-line, whitespace-only and non-ASCII strings, which js-yaml quotes or styles otherwise', () => {
    for (const value of ['one line', '  \n  ', '\n', 'tab\there\n', 'cr\r\n', 'caf\u00e9\n', 'line\u2028sep\n', '']) {
      expect(literalBlock(value, 2), JSON.stringify(value)).toBeUndefined();
    }
  });
});
