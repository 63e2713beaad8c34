/**
 * yaml.v3's scalar resolution (its resolve.go), which decides what a scalar means before Go
 * stores it in a typed field: the tag it resolves to (`!!int`, `!!float`, `!!bool`, `!!null`,
 * `!!timestamp`, `!!str`, or an unknown tag kept as written) and its value. A scalar with an
 * explicit tag that does not fit it (`!!int x`) is yaml.v3's fatal "cannot decode" error.
 */
import { YAML_V3_PROBLEMS } from './errors.ts';

export type Resolved =
  | { readonly tag: '!!null'; readonly value: null }
  | { readonly tag: '!!bool'; readonly value: boolean }
  /** Integers within int64 as `int`; from 2^63 to 2^64-1 as `uint` (Go's ParseUint). */
  | { readonly tag: '!!int'; readonly value: bigint; readonly uint: boolean }
  | { readonly tag: '!!float'; readonly value: number }
  | { readonly tag: '!!timestamp'; readonly value: string }
  | { readonly tag: string; readonly value: string };

/** yaml.v3's failf text for a scalar its explicit tag does not fit. */
export class YamlDecodeError extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const MAPPED: ReadonlyMap<string, Resolved> = new Map<string, Resolved>([
  ...['true', 'True', 'TRUE'].map((w) => [w, { tag: '!!bool', value: true }] as const),
  ...['false', 'False', 'FALSE'].map((w) => [w, { tag: '!!bool', value: false }] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, { tag: '!!null', value: null }] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, { tag: '!!float', value: NaN }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, { tag: '!!float', value: Infinity }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, { tag: '!!float', value: -Infinity }] as const),
  ['<<', { tag: '!!merge', value: '<<' }],
]);

const RESOLVABLE = new Set(['', '!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The first character's hint, as resolve.go's table: a sign, a digit, a mapped word, a dot. */
function hint(text: string): 'S' | 'D' | 'M' | '.' | 'N' | undefined {
  if (text === '') return 'N';
  const c = text[0]!;
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

/** strconv.ParseInt/ParseUint digits in `base` (sign handled by the caller); undefined when invalid. */
function digits(text: string, base: number): bigint | undefined {
  if (text === '') return undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(text)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  return BigInt(prefix + text);
}

/** strconv.ParseInt(s, 0, 64) (or ParseUint when `unsigned`): base prefixes, a leading 0 for octal. */
function parseBase0(s: string, unsigned: boolean): bigint | undefined {
  let sign = 1n;
  let body = s;
  if (!unsigned && (body[0] === '+' || body[0] === '-')) {
    if (body[0] === '-') sign = -1n;
    body = body.slice(1);
  }
  let n: bigint | undefined;
  const p = body.slice(0, 2).toLowerCase();
  if (p === '0x') n = digits(body.slice(2), 16);
  else if (p === '0o') n = digits(body.slice(2), 8);
  else if (p === '0b') n = digits(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') n = digits(body.slice(1), 8);
  else n = digits(body, 10);
  if (n === undefined) return undefined;
  n *= sign;
  if (unsigned) return n <= UINT64_MAX ? n : undefined;
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/** strconv.ParseInt(s, base, 64) with a sign allowed. */
function parseSigned(s: string, base: number): bigint | undefined {
  const neg = s[0] === '-';
  const body = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  const n = digits(body, base);
  if (n === undefined) return undefined;
  const v = neg ? -n : n;
  return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
}

/** Go's ParseFloat for the forms YAML_STYLE_FLOAT allows; undefined when out of range. */
function parseFloat64(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** yaml.v3's parseTimestamp: a date, or a date and time, in the formats Go's time.Parse reads. */
function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (m === null) return false;
  const [month, day] = [Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const year = Number(m[1]);
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return false;
  // A space before the time takes no zone in Go's layout; T or t takes one optionally.
  return true;
}

function resolveUntagged(tag: string, text: string): Resolved {
  const h = hint(text);
  if (h === undefined || tag === '!!str') return { tag: '!!str', value: text };
  const mapped = MAPPED.get(text);
  if (mapped !== undefined) return mapped;
  if (h === '.') {
    const f = /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? parseFloat64(text) : undefined;
    if (f !== undefined) return { tag: '!!float', value: f };
  } else if (h === 'D' || h === 'S') {
    if ((tag === '' || tag === '!!timestamp') && isTimestamp(text)) return { tag: '!!timestamp', value: text };
    const plain = text.replace(/_/g, '');
    const int = parseBase0(plain, false);
    if (int !== undefined) return { tag: '!!int', value: int, uint: false };
    const uint = parseBase0(plain, true);
    if (uint !== undefined) return { tag: '!!int', value: uint, uint: true };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = parseFloat64(plain);
      if (f !== undefined) return { tag: '!!float', value: f };
    }
    for (const [prefix, base] of [['0b', 2], ['0o', 8]] as const) {
      if (plain.startsWith(prefix)) {
        const v = parseSigned(plain.slice(2), base);
        if (v !== undefined) return { tag: '!!int', value: v, uint: false };
        const u = digits(plain.slice(2), base);
        if (u !== undefined && u <= UINT64_MAX) return { tag: '!!int', value: u, uint: true };
      } else if (plain.startsWith('-' + prefix)) {
        const v = parseSigned('-' + plain.slice(3), base);
        if (v !== undefined) return { tag: '!!int', value: v, uint: false };
      }
    }
  }
  return { tag: '!!str', value: text };
}

/**
 * resolve(tag, text): `tag` is the scalar's explicit tag in short form ('' when none). An
 * explicit !!str or !!binary takes any text; another known tag must match what the text
 * resolves to (an integer may be read as a !!float).
 */
export function resolveScalar(tag: string, text: string): Resolved {
  if (!RESOLVABLE.has(tag)) return { tag, value: text };
  const out = resolveUntagged(tag, text);
  if (tag === '' || tag === out.tag || tag === '!!str') return out;
  if (tag === '!!float' && out.tag === '!!int') return { tag: '!!float', value: Number(out.value) };
  throw new YamlDecodeError(YAML_V3_PROBLEMS.cannotDecode(out.tag, text, tag));
}

/** A tag as yaml.v3's shortTag writes it: `!<tag:yaml.org,2002:int>` and `!!int` are both `!!int`. */
export function shortTag(tag: string): string {
  if (tag === '!') return '';
  const long = /^!<tag:yaml\.org,2002:(.*)>$/.exec(tag);
  if (long) return '!!' + long[1];
  const verbatim = /^!<(.*)>$/.exec(tag);
  return verbatim ? verbatim[1]! : tag;
}
