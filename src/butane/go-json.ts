/**
 * JSON text exactly as Go's encoding/json writes it (Butane's output): HTML-safe escaping of
 * `<` `>` `&`, `\u2028`/`\u2029` escaped, control characters as lower-case `\u00xx` except
 * `\n` `\r` `\t`, lone surrogates (invalid UTF-8 in Go) as `\ufffd`, and MarshalIndent's
 * two-space layout for --pretty. Objects are written in their insertion order, which the
 * translator builds in Go struct field order.
 */
import type { TranslationMemory } from './translation-memory.ts';

const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const HEX = '0123456789abcdef';

export function goString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      rep = c === 10 ? '\\n' : c === 13 ? '\\r' : c === 9 ? '\\t' : '\\u00' + HEX[c >> 4]! + HEX[c & 15]!;
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (c === 0x3c) rep = '\\u003c';
    else if (c === 0x3e) rep = '\\u003e';
    else if (c === 0x26) rep = '\\u0026';
    else if (c === 0x2028) rep = '\\u2028';
    else if (c === 0x2029) rep = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: raw UTF-8 in Go
        continue;
      }
      rep = '\\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** `memory`: reused translations are written once (their text kept there). */
export function goJson(value: unknown, pretty: boolean, memory?: TranslationMemory): string {
  return pretty ? indented(value, '') : compact(value, memory);
}

/**
 * The compact form through the engine's JSON.stringify, then the few places where Go writes
 * differently: `<` `>` `&` U+2028 U+2029 escaped, `\b` `\f` as `\u0008` `\u000c`, and a lone
 * surrogate (escaped by JSON.stringify as `\udxxx`) as `\ufffd`. An escaped backslash is matched
 * as a whole first, so the character after it is never taken for an escape. Key order is the
 * insertion order either way: Ignition's keys are struct fields, never integer-like.
 */
const GO_DIFFERENCES = /\\\\|\\[bf]|\\ud[89a-f][0-9a-f]{2}|[<>&\u2028\u2029]/g;
const GO_FORM: Record<string, string> = {
  '\\b': '\\u0008',
  '\\f': '\\u000c',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function compact(v: unknown, memory: TranslationMemory | undefined): string {
  return memory === undefined ? stringified(v) : reusingKnown(v, 0, memory);
}

function stringified(v: unknown): string {
  if (v === null || typeof v !== 'object') return compactScalar(v);
  return JSON.stringify(v).replace(GO_DIFFERENCES, (m) => (m === '\\\\' ? m : m.length === 6 ? '\\ufffd' : GO_FORM[m]!));
}

/**
 * The compact text of each reused translation, made once. A fleet's configs share their reused
 * entries (the translations of shared plan entries, see butane/translate.ts `reuse`), so a
 * config's text is mostly these pieces joined: the few levels above the entries (config → section
 * → list → entry) are walked here, everything below them goes through JSON.stringify in one piece.
 */
const ENTRY_DEPTH = 3;

function reusingKnown(v: unknown, depth: number, memory: TranslationMemory): string {
  if (v === null || typeof v !== 'object') return compactScalar(v);
  if (memory.isReused(v)) {
    let text = memory.jsonTexts.get(v);
    if (text === undefined) memory.jsonTexts.set(v, (text = stringified(v)));
    return text;
  }
  if (depth >= ENTRY_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') return stringified(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      // As JSON.stringify: holes, undefined and functions in a list read as null.
      out += (i > 0 ? ',' : '') + (x === undefined || typeof x === 'function' || typeof x === 'symbol' ? 'null' : reusingKnown(x, depth + 1, memory));
    }
    return out + ']';
  }
  let out = '{';
  for (const key of Object.keys(v)) {
    const x: unknown = (v as Record<string, unknown>)[key];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    out += (out.length > 1 ? ',' : '') + goString(key) + ':' + reusingKnown(x, depth + 1, memory);
  }
  return out + '}';
}

function compactScalar(v: unknown): string {
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return 'null';
}

function indented(v: unknown, pad: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = pad + '  ';
    return '[\n' + v.map((x) => inner + indented(x, inner)).join(',\n') + '\n' + pad + ']';
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const inner = pad + '  ';
    return '{\n' + entries.map(([k, x]) => inner + goString(k) + ': ' + indented(x, inner)).join(',\n') + '\n' + pad + '}';
  }
  return compactScalar(v);
}
