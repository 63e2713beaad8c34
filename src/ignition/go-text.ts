/**
 * Small ports of Go standard-library text helpers (path, unicode, utf8, strconv.Quote).
 * Ignition's validator is Go code; to report exactly what it reports we must judge
 * paths, whitespace and runes the way Go does, not the way JavaScript does.
 */

/** Go `path.Clean`: lexical simplification of a slash-separated path. */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go `path.Ext`: the suffix from the last dot of the last element, or "". */
export function goPathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') return p.slice(i);
  }
  return '';
}

/** Go `path.Join` for two elements (used for relative hard-link targets). */
export function goPathJoin(a: string, b: string): string {
  const joined = [a, b].filter((s) => s !== '').join('/');
  return joined === '' ? '' : goPathClean(joined);
}

/** Go `unicode.IsSpace`. */
export function goIsSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return (
    r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 ||
    r === 0x202f || r === 0x205f || r === 0x3000
  );
}

const RUNE_ERROR = 0xfffd;

/** Expected length of a UTF-8 sequence from its lead byte (1 for ASCII and invalid leads). */
function seqLength(lead: number): number {
  if (lead < 0xc2) return 1; // ASCII, stray continuation bytes and overlong leads
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf5) return 4;
  return 1;
}

/** Go `utf8.DecodeRune` on bytes[start, end): [rune, width]; invalid input gives [RuneError, 1]. */
export function goDecodeRune(bytes: Uint8Array, start: number, end: number): [number, number] {
  if (start >= end) return [RUNE_ERROR, 0];
  const b0 = bytes[start]!;
  const n = seqLength(b0);
  if (n === 1) return b0 < 0x80 ? [b0, 1] : [RUNE_ERROR, 1];
  if (end - start < n) return [RUNE_ERROR, 1];
  let r = b0 & (0x7f >> n);
  for (let i = 1; i < n; i++) {
    const b = bytes[start + i]!;
    if ((b & 0xc0) !== 0x80) return [RUNE_ERROR, 1];
    r = (r << 6) | (b & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return [RUNE_ERROR, 1];
  return [r, n];
}

/** Go `utf8.FullRune`: do bytes[start, end) hold a whole (or definitely invalid) sequence? */
export function goFullRune(bytes: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  const n = seqLength(bytes[start]!);
  if (end - start >= n) return true;
  for (let i = start + 1; i < end; i++) if ((bytes[i]! & 0xc0) !== 0x80) return true;
  return false;
}

/** Go `bytes.TrimSpace` on a byte slice. */
export function goTrimSpace(bytes: Uint8Array): Uint8Array {
  let start = 0;
  let end = bytes.length;
  while (start < end) {
    const [r, w] = goDecodeRune(bytes, start, end);
    if (!goIsSpace(r)) break;
    start += w;
  }
  while (end > start) {
    // Walk back to the start of the last rune.
    let s = end - 1;
    while (s > start && (bytes[s]! & 0xc0) === 0x80 && end - s < 4) s--;
    const [r, w] = goDecodeRune(bytes, s, end);
    if (s + w !== end) {
      // Not a clean rune boundary: the last byte is a lone invalid byte, not space.
      break;
    }
    if (!goIsSpace(r)) break;
    end = s;
  }
  return bytes.subarray(start, end);
}

const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function goIsPrint(r: number): boolean {
  return r === 0x20 || GRAPHIC.test(String.fromCodePoint(r));
}

/** Go `strconv.Quote` (enough of it for error messages): printable runes raw, the rest escaped. */
export function goQuote(bytes: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const [r, w] = goDecodeRune(bytes, i, bytes.length);
    if (r === RUNE_ERROR && w === 1 && bytes[i]! >= 0x80) {
      out += '\\x' + bytes[i]!.toString(16).padStart(2, '0');
    } else if (r === 0x22 || r === 0x5c) {
      out += '\\' + String.fromCodePoint(r);
    } else if (r === 0x07) out += '\\a';
    else if (r === 0x08) out += '\\b';
    else if (r === 0x0c) out += '\\f';
    else if (r === 0x0a) out += '\\n';
    else if (r === 0x0d) out += '\\r';
    else if (r === 0x09) out += '\\t';
    else if (r === 0x0b) out += '\\v';
    else if (r < 0x20 || r === 0x7f) out += '\\x' + r.toString(16).padStart(2, '0');
    else if (goIsPrint(r)) out += String.fromCodePoint(r);
    else if (r < 0x10000) out += '\\u' + r.toString(16).padStart(4, '0');
    else out += '\\U' + r.toString(16).padStart(8, '0');
    i += w;
  }
  return out + '"';
}
