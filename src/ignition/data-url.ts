/**
 * Checks a data URL the way Ignition does, with vincent-petithory/dataurl's lexer and decoders.
 * Returns that library's error text (e.g. "invalid data character",
 * "rfc2396: invalid char 0x25 in unescape sequence", "illegal base64 data at input byte 4"),
 * or null when Ignition would accept the URL. Only validity is computed, never the payload.
 */
import { codePointsOf, textOfCodePoints } from './code-points.ts';
import { IGNITION_ERRORS as E, type IgnitionMessage } from './errors.ts';

/** Ends the lexer with the library's complaint. */
class DataUrlError extends Error {
  constructor(readonly said: IgnitionMessage) {
    super(said.message);
  }
}

function isControl(r: number): boolean {
  return r < 0x20 || (r >= 0x7f && r < 0xa0);
}

function isSpace(r: number): boolean {
  return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
}

const TSPECIALS = new Set('()<>@,;:\\"/[]?='.split('').map((c) => c.charCodeAt(0)));
function isTokenRune(r: number): boolean {
  return r <= 0x7f && !isControl(r) && !isSpace(r) && !TSPECIALS.has(r);
}

const URL_EXCLUDED = new Set(' <>#"{}|\\^[]`'.split('').map((c) => c.charCodeAt(0)));
function isUrlCharRune(r: number): boolean {
  return r <= 0x7f && !(r <= 0x1f) && r !== 0x7f && !URL_EXCLUDED.has(r);
}

function isBase64Rune(r: number): boolean {
  return (
    (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || (r >= 0x30 && r <= 0x39) ||
    r === 0x2b || r === 0x2f || r === 0x3d
  );
}

const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** dataurl's RFC 2396 Unescape (the library prints the '%' code in its message, a known quirk). */
function rfc2396Unescape(s: string): void {
  const cps = Array.from(s);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c.codePointAt(0)! > 0x7f) throw new DataUrlError(E.dataUrlNonAscii);
    if (c !== '%') continue;
    for (let k = 1; k <= 2; k++) {
      const next = cps[i + k];
      if (next === undefined) throw new DataUrlError(E.dataUrlEscapeEnd);
      if (!isHex(next.charCodeAt(0))) throw new DataUrlError(E.dataUrlEscapeChar);
    }
    i += 2;
  }
}

/** Go base64.StdEncoding.DecodeString validity, with Go's error offsets. */
function goBase64Check(src: string): void {
  const fail = (at: number): never => {
    throw new DataUrlError(E.dataUrlBase64.with(at));
  };
  const isAlpha = (c: string): boolean => /[A-Za-z0-9+/]/.test(c);
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return;
        fail(si - j);
      }
      const ch = src[si]!;
      si++;
      if (isAlpha(ch)) continue;
      if (ch !== '=') fail(si - 1);
      // Padding reached.
      if (j === 0 || j === 1) fail(si - 1);
      if (j === 2) {
        if (si === src.length) fail(src.length);
        if (src[si] !== '=') fail(si - 1);
        si++;
      }
      if (si < src.length) fail(si);
      return;
    }
  }
}

/** strconv.Unquote validity for a double-quoted parameter value. */
function goUnquoteCheck(inner: string): void {
  if (inner.includes('\n')) throw new DataUrlError(E.dataUrlQuotedValue);
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] !== '\\') continue;
    const e = inner[i + 1];
    if (e === undefined) throw new DataUrlError(E.dataUrlQuotedValue);
    if ('abfnrtv\\"'.includes(e)) {
      i += 1;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = inner.slice(i + 2, i + 2 + n);
      if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) throw new DataUrlError(E.dataUrlQuotedValue);
      i += 1 + n;
    } else if (e >= '0' && e <= '7') {
      const digits = inner.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) throw new DataUrlError(E.dataUrlQuotedValue);
      i += 3;
    } else {
      throw new DataUrlError(E.dataUrlQuotedValue);
    }
  }
}

const DISCRETE = ['text', 'image', 'audio', 'video', 'application'];
const COMPOSITE = ['message', 'multipart'];

/** The error of a data URL, or null. Callers remember results by the whole source URL (ValidationMemory.sourceUrlError). */
export function checkDataUrl(input: string): IgnitionMessage | null {
  return lexDataUrl(input);
}

/** The lexer of dataurl, run to completion; parser actions happen as items are emitted. */
function lexDataUrl(input: string): IgnitionMessage | null {
  const cps = codePointsOf(input);
  // Positions are in code points; the library works on runes, so only messages matter here.
  let pos = 0;
  let start = 0;
  let base64 = false;
  const EOF = -1;
  const next = (): number => (pos >= cps.length ? (pos++, EOF) : cps[pos++]!);
  const backup = (): void => {
    pos--;
  };
  const text = (from: number, to: number): string => textOfCodePoints(cps, from, to);
  const err = (said: IgnitionMessage): never => {
    throw new DataUrlError(said);
  };

  try {
    if (!input.startsWith('data:')) err(E.dataUrlPrefix);
    pos = 5;
    start = pos;
    const mediaType = (isX: boolean): void => {
      for (;;) {
        const r = next();
        if (r === 0x2f) {
          backup();
          const t = text(start, pos);
          if (!isX && !DISCRETE.some((d) => t.startsWith(d)) && !COMPOSITE.some((d) => t.startsWith(d))) {
            err(E.dataUrlMediaType);
          }
          break;
        }
        if (r === EOF) err(E.dataUrlMediaTypeSlash);
        if (!isTokenRune(r)) err(E.dataUrlMediaTypeChar);
      }
      next(); // '/'
      start = pos;
      for (;;) {
        const r = next();
        if (r === 0x3b || r === 0x2c) {
          backup();
          break;
        }
        if (r === EOF) err(E.dataUrlMediaTypeIncomplete);
        if (!isTokenRune(r)) err(E.dataUrlMediaSubtypeChar);
      }
      start = pos;
      const r = next();
      if (r === EOF) err(E.dataUrlComma);
      if (r !== 0x3b && r !== 0x2c) err(E.dataUrlSeparator);
      backup();
    };

    const r0 = next();
    if (r0 === 0x3b || r0 === 0x2c) backup();
    else if (r0 === EOF) err(E.dataUrlComma);
    else if (r0 === 0x78 || r0 === 0x58) {
      // "x-" starts an extension token; any other x... is a discrete type attempt.
      const isX = next() === 0x2d;
      mediaType(isX);
    } else if (isTokenRune(r0)) mediaType(false);
    else err(E.dataUrlAfterPrefix);

    // Parameters: ;attr=value or the ;base64 marker, until the comma.
    for (;;) {
      const r = next();
      if (r === 0x2c) break;
      // r is ';'
      start = pos;
      const a = next();
      if (a === EOF || a === 0x3d || a === 0x2c) err(E.dataUrlParameter);
      if (!isTokenRune(a)) err(E.dataUrlAttributeChar);
      let sawEqual = false;
      for (;;) {
        const c = next();
        if (c === 0x3d) {
          sawEqual = true;
          break;
        }
        if (c === 0x2c) {
          backup();
          const v = text(start, pos);
          if (v !== 'base64') err(E.dataUrlNotBase64.with(v));
          base64 = true;
          break;
        }
        if (c === EOF) err(E.dataUrlParameter);
        if (!isTokenRune(c)) err(E.dataUrlAttributeChar);
      }
      if (!sawEqual) continue; // next() will read the ','
      start = pos;
      const v0 = next();
      if (v0 === 0x22) {
        start = pos;
        for (;;) {
          const c = next();
          if (c === EOF) err(E.dataUrlUnclosedQuote);
          if (c === 0x5c) {
            // dataurl tests `r <= MaxASCII` before EOF, and EOF is -1: a trailing backslash
            // therefore ends up as "unclosed quoted string", never "unexpected eof".
            const e = next();
            if (e > 0x7f) err(E.dataUrlEscapedChar);
            continue;
          }
          if (c === 0x22) {
            backup();
            break;
          }
          if (c > 0x7f) err(E.dataUrlValueChar);
        }
        if (pos > start) goUnquoteCheck(text(start, pos));
        next(); // closing quote
      } else if (v0 === EOF) err(E.dataUrlComma);
      else if (isTokenRune(v0)) {
        for (;;) {
          const c = next();
          if (c === 0x3b || c === 0x2c) {
            backup();
            break;
          }
          if (c === EOF) err(E.dataUrlComma);
          if (!isTokenRune(c)) err(E.dataUrlValueChar);
        }
        rfc2396Unescape(text(start, pos));
      } else err(E.dataUrlValueChar);
      const after = next();
      if (after === EOF) err(E.dataUrlComma);
      if (after !== 0x3b && after !== 0x2c) err(E.dataUrlSeparator);
      backup();
    }

    // Data after the comma.
    start = pos;
    for (;;) {
      const r = next();
      if (r === EOF) break;
      if (base64 ? !isBase64Rune(r) : !isUrlCharRune(r)) err(E.dataUrlDataChar);
    }
    const data = text(start, cps.length);
    if (data.length > 0) {
      if (base64) goBase64Check(data);
      else rfc2396Unescape(data);
    }
  } catch (e) {
    if (e instanceof DataUrlError) return e.said;
    throw e;
  }
  return null;
}
