/**
 * `kindling butane` input whose aliases expand it far beyond its written size is refused with
 * yaml.v3's error, as the real butane refuses it, instead of being walked.
 */
import { describe, expect, it } from 'vitest';
import { translateButane } from '../../src/butane/index.ts';

const EXCESSIVE = 'Error translating config: yaml: document contains excessive aliasing';

/** A guard against a hang (an unbounded expansion runs for minutes), not a speed figure: bench/ measures speed. */
const HANG = 10_000;

describe('alias expansion in Butane input', () => {
  it('refuses a nine-level alias bomb', () => {
    const lines = ['variant: fcos', 'version: 1.4.0', 'x-anchors:', `  l0: &l0 [${Array(9).fill('lol').join(', ')}]`];
    for (let level = 1; level <= 9; level++) lines.push(`  l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
    lines.push('storage:', '  files:', '    - path: /etc/x', '      x-bomb: *l9');
    const started = performance.now();
    const result = translateButane(`${lines.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(HANG);
    expect(result).toMatchObject({ ok: false, fatal: EXCESSIVE });
  });

  it('refuses 2,000 aliases of a file that aliases 2,000 appends (4 million values from 30 KB) in well under a second', () => {
    const n = 2000;
    const text = [
      'variant: fcos',
      'version: 1.4.0',
      'x-anchors:',
      '  a: &a { inline: x }',
      `  f: &f { path: /etc/x, append: [${Array(n).fill('*a').join(', ')}] }`,
      'storage:',
      `  files: [${Array(n).fill('*f').join(', ')}]`,
    ].join('\n');
    const started = performance.now();
    const result = translateButane(`${text}\n`);
    expect(performance.now() - started).toBeLessThan(HANG);
    expect(result).toMatchObject({ ok: false, fatal: EXCESSIVE });
  });

});
