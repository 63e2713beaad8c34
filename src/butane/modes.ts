/**
 * Butane's decimal-mode heuristic: `mode: 644` (decimal 644 = 0o1204) is almost certainly a
 * forgotten leading zero. Warn when the value is an unusual mode as written but a usual one
 * when its decimal digits are read as octal.
 */

/** True when `mode` looks like octal digits written as a decimal number by mistake. */
export function checkForDecimalMode(mode: number, directory: boolean): boolean {
  const octal = decimalDigitsAsOctal(mode);
  if (octal === undefined) return false;
  return !isTypicalMode(mode, directory) && isTypicalMode(octal, directory);
}

function decimalDigitsAsOctal(mode: number): number | undefined {
  if (mode < 0 || mode > 7777) return undefined;
  let out = 0;
  for (const digit of String(mode).padStart(4, '0')) {
    const d = Number(digit);
    if (d > 7) return undefined;
    out = out * 8 + d;
  }
  return out;
}

/** Whether a mode is unsurprising for a file or directory. */
function isTypicalMode(mode: number, directory: boolean): boolean {
  if (mode === 0) return true; // root ignores mode bits, so "no access" is a reasonable choice
  // Walk other, group, user: each more specific class should have at least the bits of the
  // less specific ones; w or x without r is odd; x where a less specific class reads without x
  // is odd.
  let anyR = false;
  let anyW = false;
  let anyX = false;
  for (const shift of [0, 3, 6]) {
    const bits = (mode >> shift) & 7;
    const r = (bits & 4) !== 0;
    const w = (bits & 2) !== 0;
    const x = (bits & 1) !== 0;
    if ((anyR && !r) || (anyW && !w) || (anyX && !x)) return false;
    if (x && anyR && !anyX) return false;
    if ((w || x) && !r) return false;
    anyR ||= r;
    anyW ||= w;
    anyX ||= x;
  }
  if (!anyR) return false;
  if (directory) {
    if (!anyX) return false;
    if (mode & 0o4000) return false;
    if (mode & 0o3000 && !anyW) return false;
    return true;
  }
  if (mode & 0o6000) {
    if (!anyX) return false;
    if (mode & 0o2) return false;
  }
  return (mode & 0o1000) === 0;
}
