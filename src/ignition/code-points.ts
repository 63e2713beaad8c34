/**
 * Strings and code points without spreading a large array into a call: `String.fromCodePoint(...a)`
 * puts every element on the stack and overflows it for arrays of a few hundred thousand, the size
 * of a data URL that carries a large file.
 */

/** Code points are built this many at a time, far below any engine's argument limit. */
const CHUNK = 8192;

/** The code points of `text` (one per character, astral ones whole). */
export function codePointsOf(text: string): Uint32Array {
  const out = new Uint32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    out[n++] = cp;
    if (cp > 0xffff) i++;
  }
  return out.subarray(0, n);
}

/** The text of `codePoints[from..to)`. */
export function textOfCodePoints(codePoints: Uint32Array, from: number, to: number): string {
  let out = '';
  for (let start = from; start < to; start += CHUNK) {
    out += String.fromCodePoint.apply(null, codePoints.subarray(start, Math.min(to, start + CHUNK)) as unknown as number[]);
  }
  return out;
}
