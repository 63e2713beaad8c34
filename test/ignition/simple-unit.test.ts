import { describe, expect, it } from 'vitest';
import { readSimpleUnit } from '../../src/ignition/simple-unit.ts';
import { deserializeOptions } from '../../src/ignition/systemd-unit.ts';
import { buildExample } from '../helpers/build-example.ts';
import { random } from '../helpers/random.ts';


/** Pieces of unit text, the ordinary and the awkward: continuations, comments that continue, junk. */
const PIECES = [
  '[Unit]\n', '[Service]\n', '[Install] \n', '[X', ']', '[]\n', '[A]junk\n', '[Un\nit]\n',
  '# note\n', '; note\n', '# runs on \\\n', '# runs on \\ \n', '#\\', '#', ';',
  'Description=flannel\n', ' Name = spaced value \n', 'Exec=/bin/x \\\n', '  --flag \\\n', '  --last\n', 'A=\n', 'A= \\ \n',
  'B=\\\n', '\n', '\n\n', ' ', '\t', 'junk', '=', '=x\n', 'k#v=1\n', 'A=b\\', 'A=%%$$"q"\n',
  'é', '\r\n', '\v', 'Environment="NODE_NAME=node-1"\n', 'WantedBy=multi-user.target',
];

function randomUnit(rnd: () => number): string {
  let text = '';
  const count = 1 + Math.floor(rnd() * 14);
  for (let i = 0; i < count; i++) text += PIECES[Math.floor(rnd() * PIECES.length)];
  return text;
}

describe('readSimpleUnit', () => {
  it('reads exactly what go-systemd reads, or leaves the text to the full reader (30,000 generated units)', () => {
    const rnd = random(0x2545f491);
    let direct = 0;
    let refused = 0;
    for (let i = 0; i < 30_000; i++) {
      const text = randomUnit(rnd);
      const fast = readSimpleUnit(text);
      const full = deserializeOptions(text);
      if (fast === undefined) {
        refused++;
        continue;
      }
      direct++;
      expect({ text, result: fast }).toEqual({ text, result: full });
    }
    // Both paths must really be exercised for the comparison to mean anything.
    expect(direct).toBeGreaterThan(5_000);
    expect(refused).toBeGreaterThan(5_000);
  });

  it('leaves every error to the full reader', () => {
    for (const text of ['[Service', '[Service]\nExecStart\n', '[Service]\nExecStart', '[Service] "junk"\n']) {
      expect(deserializeOptions(text).ok).toBe(false);
      expect(readSimpleUnit(text)).toBeUndefined();
    }
  });

  it("leaves texts near go-systemd's line limit, and any other bytes, to the full reader", () => {
    expect(readSimpleUnit(`[Service]\nA=${'x'.repeat(2100)}\n`)).toBeUndefined();
    expect(readSimpleUnit('[Service]\nA=é\n')).toBeUndefined();
    expect(readSimpleUnit('[Service]\r\nA=1\r\n')).toBeUndefined();
  });

  it("reads every unit of the example's nodes directly", () => {
    const built = buildExample();
    const units = built.builds.flatMap((b) => b.plan.units.flatMap((u) => [u.contents, ...u.dropins.map((d) => d.contents)]));
    const texts = units.filter((u): u is string => typeof u === 'string');
    expect(texts.filter((t) => t.includes('ExecStart=/opt/bin/flanneld') || t.includes('ExecStart=/usr/local/bin/flanneld'))).toHaveLength(3);
    for (const text of texts) {
      expect(deserializeOptions(text).ok).toBe(true);
      expect(readSimpleUnit(text)).toEqual(deserializeOptions(text));
    }
  });
});
