/**
 * Compares one run of kindling with one of the real butane on the same input and flags, and
 * names each difference: output (content after decoding data URLs and gzip, encoding, bytes),
 * exit status, and each reported problem (missing, extra, at another line/column, final line).
 */
import { gunzipSync } from 'node:zlib';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface Difference {
  readonly cls: string;
  /** What differs, digits kept: groups the examples of a class. */
  readonly detail: string;
}

interface Entry {
  readonly key: string;
  readonly where: string;
}

const ENTRY = /^(error|warning|info)(?: at (\$[^,]*))?,? (?:at )?line (\d+) col (\d+): (.*)$|^(error|warning|info)(?: at (\$\S*))?: (.*)$/;

function entries(stderr: string): { list: Entry[]; fatal: string } {
  const lines = stderr.split('\n').filter((l) => l !== '');
  const list: Entry[] = [];
  let fatal = '';
  let last: { key: string; where: string } | undefined;
  for (const l of lines) {
    const m = ENTRY.exec(l);
    if (m !== null) {
      last = m[1] !== undefined ? { key: `${m[1]} ${m[2] ?? ''}: ${m[5]}`, where: `${m[3]}:${m[4]}` } : { key: `${m[6]} ${m[7] ?? ''}: ${m[8]}`, where: '' };
      list.push(last);
    } else if (/^(Error|Config produced|yaml:|failed)/.test(l) || fatal !== '' || last === undefined) {
      fatal += (fatal ? '\n' : '') + l;
    } else {
      // A continuation line of a multi-line message.
      list[list.length - 1] = { key: last.key + '\n' + l, where: last.where };
      last = list[list.length - 1];
    }
  }
  return { list, fatal };
}

/**
 * The JSON with every data URL decoded (and gunzipped): `gzip` marks each source that was
 * gzipped, so the gzip choice can be told apart from the gzip bytes; a compression of "" and
 * none are the same once decoded.
 */
function decodeDataUrls(v: unknown, gzip: 'drop' | 'mark'): unknown {
  if (Array.isArray(v)) return v.map((x) => decodeDataUrls(x, gzip));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeDataUrls(x, gzip);
  if (typeof o['source'] === 'string' && o['source'].startsWith('data:')) {
    const src = o['source'];
    const comma = src.indexOf(',');
    const meta = src.slice(5, comma);
    const body = src.slice(comma + 1);
    let bytes: Buffer = meta.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(unescapeBytes(body));
    let gzipped = false;
    if (o['compression'] === 'gzip') {
      try {
        bytes = gunzipSync(bytes);
        gzipped = true;
      } catch {
        /* keep as is */
      }
    }
    if (gzipped || o['compression'] === '') delete out['compression'];
    out['source'] = (gzip === 'mark' && gzipped ? 'gzip:' : 'decoded:') + bytes.toString('hex');
  }
  return out;
}

/** Percent-decoding to bytes (decodeURIComponent would refuse non-UTF-8 escapes). */
function unescapeBytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return out;
}

function firstDiff(a: unknown, b: unknown, path = '$'): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  const show = (x: unknown) => (JSON.stringify(x) ?? 'absent').slice(0, 80);
  return `${path}: kindling ${show(a)} butane ${show(b)}`;
}

/**
 * A YAML syntax error of the first pass: both parsers refuse the text, each in its own words
 * (and, for some, at another line); README, Butane, documents it.
 */
function isSyntaxError(fatal: string): boolean {
  return fatal.startsWith('Error translating config: Error unmarshaling yaml: yaml: ') && !/unmarshal errors|unknown anchor|incompatible YAML|duplicate %YAML/.test(fatal);
}

/** kindling refuses by design the variant/version pairs it does not implement (README, Butane). */
const NOT_IMPLEMENTED = 'kindling implements only ';

export function classify(k: RunResult, b: RunResult): Difference[] {
  const out: Difference[] = [];
  if (k.stderr.includes(NOT_IMPLEMENTED)) {
    return k.stderr === b.stderr ? [] : [{ cls: 'known.not-implemented', detail: k.stderr.trim().replace(/.*not variant /, '') }];
  }
  if (k.code !== b.code) {
    const cls = k.code === 0 ? 'exit.kindling-accepts' : b.code === 0 ? 'exit.kindling-rejects' : 'exit.other';
    const why = (b.code === 0 ? k.stderr : b.stderr).trim().split('\n').find((l) => /^error|^Error|yaml/.test(l)) ?? '';
    out.push({ cls, detail: why.replace(/line \d+ col \d+/, 'line L').slice(0, 160) });
  } else if (k.code === 0 && k.stdout !== b.stdout) {
    let kj: unknown;
    let bj: unknown;
    try {
      kj = JSON.parse(k.stdout);
      bj = JSON.parse(b.stdout);
    } catch {
      out.push({ cls: 'output.bytes', detail: 'unparsable JSON' });
      return out;
    }
    const d = firstDiff(decodeDataUrls(kj, 'drop'), decodeDataUrls(bj, 'drop'));
    const choice = firstDiff(decodeDataUrls(kj, 'mark'), decodeDataUrls(bj, 'mark'));
    const raw = firstDiff(kj, bj);
    if (d) out.push({ cls: 'output.content', detail: d });
    else if (choice) out.push({ cls: 'output.gzip-choice', detail: choice.replace(/"(gzip|decoded):[0-9a-f]{20,}"/g, (_m, w: string) => w) });
    else if (raw && /H4sI/.test(raw)) out.push({ cls: 'known.gzip-bytes', detail: raw.replace(/: kindling.*/, '') });
    else if (raw) out.push({ cls: 'output.encoding', detail: raw });
    else out.push({ cls: 'output.bytes', detail: 'same JSON, other bytes' });
  }
  const ke = entries(k.stderr);
  const be = entries(b.stderr);
  const remaining = [...be.list];
  const extra: Entry[] = [];
  for (const e of ke.list) {
    const same = remaining.findIndex((x) => x.key === e.key && x.where === e.where);
    if (same >= 0) remaining.splice(same, 1);
    else extra.push(e);
  }
  for (const e of extra) {
    const moved = remaining.findIndex((x) => x.key === e.key);
    if (moved >= 0) {
      out.push({ cls: 'report.position', detail: `${e.key.slice(0, 120)} kindling ${e.where} butane ${remaining[moved]!.where}` });
      remaining.splice(moved, 1);
    } else out.push({ cls: `report.extra-${e.key.split(' ')[0]}`, detail: e.key.slice(0, 160) });
  }
  for (const e of remaining) out.push({ cls: `report.missing-${e.key.split(' ')[0]}`, detail: e.key.slice(0, 160) });
  if (ke.fatal !== be.fatal && isSyntaxError(ke.fatal) && isSyntaxError(be.fatal)) {
    out.push({ cls: 'known.yaml-syntax-text', detail: `kindling ${JSON.stringify(ke.fatal.slice(0, 140))} butane ${JSON.stringify(be.fatal.slice(0, 140))}` });
  } else if (ke.fatal !== be.fatal) {
    const sameButLine = ke.fatal.replace(/line \d+/g, 'line N') === be.fatal.replace(/line \d+/g, 'line N');
    out.push({ cls: sameButLine ? 'report.fatal-line' : 'report.fatal', detail: `kindling ${JSON.stringify(ke.fatal.slice(0, 140))} butane ${JSON.stringify(be.fatal.slice(0, 140))}` });
  }
  return out;
}
