/**
 * Agreement with the real butane v0.25.1: every case in test/fixtures/butane is run with the
 * flags from its .cmd and compared to butane's exit status, stdout and stderr.
 *
 * "exact" = identical stdout and stderr bytes. "semantic" = identical stderr, and stdout JSON
 * with the same keys in the same order and the same values, except that a gzip data URL may
 * differ in its bytes (Node's zlib is not Go's compress/flate): there the decoded contents
 * must be equal, and the gzip-vs-plain choice may differ only if the contents still match.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { translateButane, formatButaneReport } from '../../src/butane/index.ts';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';

const DIR = join(import.meta.dirname, '../fixtures/butane');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.bu'))
  .map((f) => f.slice(0, -3))
  .sort();

// filesdir/tree/opt/bin/hello is a symbolic link to hello.sh, as butane saw it.
const filesDir = join(DIR, 'filesdir');

type Verdict = 'exact' | 'semantic' | 'none';

function decodeDataUrl(source: string, compression: unknown): Buffer {
  const comma = source.indexOf(',');
  const meta = source.slice(5, comma);
  const body = source.slice(comma + 1);
  const bytes = meta.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponentBytes(body));
  return compression === 'gzip' ? gunzipSync(bytes) : bytes;
}

/** Percent-decoding to bytes (decodeURIComponent would insist on UTF-8). */
function decodeURIComponentBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return Uint8Array.from(out);
}

/** Structural equality with key order; data URLs compared by decoded contents. Returns a difference or undefined. */
function semanticDiff(got: unknown, want: unknown, at = '$'): string | undefined {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${at}: array differs`;
    for (let i = 0; i < want.length; i++) {
      const d = semanticDiff(got[i], want[i], `${at}.${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return `${at}: not an object`;
    const g = got as Record<string, unknown>;
    const w = want as Record<string, unknown>;
    if (Object.keys(g).join() !== Object.keys(w).join()) return `${at}: keys ${Object.keys(g).join()} vs ${Object.keys(w).join()}`;
    if (typeof w['source'] === 'string' && w['source'].startsWith('data:') && 'compression' in w) {
      const a = decodeDataUrl(String(g['source']), g['compression']);
      const b = decodeDataUrl(w['source'], w['compression']);
      if (!a.equals(b)) return `${at}: data URL contents differ`;
      for (const k of Object.keys(w)) {
        if (k === 'source' || k === 'compression') continue;
        const d = semanticDiff(g[k], w[k], `${at}.${k}`);
        if (d) return d;
      }
      return undefined;
    }
    for (const k of Object.keys(w)) {
      const d = semanticDiff(g[k], w[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return got === want ? undefined : `${at}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`;
}

function runCase(name: string): { verdict: Verdict; detail: string } {
  const cmd = readFileSync(join(DIR, `${name}.cmd`), 'utf8');
  const args = cmd.trim().split(/\s+/).slice(1);
  const pretty = args.includes('--pretty') || args.includes('-p');
  const strict = args.includes('--strict') || args.includes('-s');
  const dIdx = Math.max(args.indexOf('-d'), args.indexOf('--files-dir'));
  const files = dIdx >= 0 ? createFsReader(filesDir, readBoundedFile) : undefined;
  const result = translateButane(readFileSync(join(DIR, `${name}.bu`), 'utf8'), { pretty, strict, files });

  const ignPath = join(DIR, `${name}.ign`);
  const errPath = join(DIR, `${name}.stderr`);
  const wantOut = existsSync(ignPath) ? readFileSync(ignPath, 'utf8') : undefined;
  const wantErr = existsSync(errPath) ? readFileSync(errPath, 'utf8') : '';
  const wantExit = wantOut === undefined ? 1 : 0;
  const gotExit = result.ok ? 0 : 1;
  const gotErr = formatButaneReport(result);
  if (gotExit !== wantExit) return { verdict: 'none', detail: `exit ${gotExit}, butane ${wantExit}\n${gotErr}` };
  if (gotErr !== wantErr) return { verdict: 'none', detail: `stderr:\n${gotErr}\nbutane:\n${wantErr}` };
  if (wantOut === undefined || result.output === wantOut) return { verdict: 'exact', detail: '' };
  if (result.output === undefined) return { verdict: 'none', detail: 'no output' };
  if (!result.output.endsWith('\n') || result.output.endsWith('\n\n')) return { verdict: 'none', detail: 'trailing newline' };
  const d = semanticDiff(JSON.parse(result.output), JSON.parse(wantOut));
  if (d) return { verdict: 'none', detail: d };
  const lines = (s: string) => s.split('\n').length;
  if (lines(result.output) !== lines(wantOut)) return { verdict: 'none', detail: 'layout differs' };
  return { verdict: 'semantic', detail: '' };
}

describe('butane fixtures (real butane v0.25.1)', () => {
  const verdicts = new Map<string, Verdict>();

  for (const name of cases) {
    it(`agrees with butane on ${name}`, () => {
      const { verdict, detail } = runCase(name);
      verdicts.set(name, verdict);
      expect(verdict, detail).not.toBe('none');
    });
  }

  it('agrees exactly wherever no gzip is involved, and prints a summary', () => {
    const counts = { exact: 0, semantic: 0, none: 0 };
    for (const name of cases) counts[verdicts.get(name) ?? runCase(name).verdict]++;
    const semantic = cases.filter((n) => (verdicts.get(n) ?? runCase(n).verdict) === 'semantic');
    console.log(
      `butane fixtures: ${cases.length} cases, ${counts.exact} agree exactly, ${counts.semantic} semantically (${semantic.join(', ')}), ${counts.none} not at all`,
    );
    expect(cases.length).toBe(93);
    expect(counts.none).toBe(0);
    // Only cases whose butane output holds a gzip data URL may be merely semantic.
    for (const name of semantic) {
      expect(readFileSync(join(DIR, `${name}.ign`), 'utf8')).toContain('"gzip"');
    }
  });
});
