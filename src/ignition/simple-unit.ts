/**
 * A direct reader for the unit files fleets are made of (printable ASCII, tabs and newlines, under
 * go-systemd's 2,048-byte line limit in all) that gives exactly what go-systemd's byte-by-byte
 * state machine in ./systemd-unit.ts gives, at a fraction of the cost: per-node units (flanneld's
 * carries the node name) cannot be remembered by text, so each one is read once per node.
 * Anything else (other bytes, a longer text, any syntax error) returns undefined and goes to the
 * full reader, which alone produces errors. A differential test holds the two together.
 */
import type { UnitOption, UnitParseResult } from './systemd-unit.ts';

/** Below the line limit in total, go-systemd's long-line check can never fire. */
const MAX_LENGTH = 2047;
const SIMPLE_TEXT = /^[\t\n\x20-\x7e]*$/;

export function readSimpleUnit(text: string): UnitParseResult | undefined {
  if (text.length > MAX_LENGTH || !SIMPLE_TEXT.test(text)) return undefined;
  const n = text.length;
  const lineEnd = (from: number): number => {
    const at = text.indexOf('\n', from);
    return at < 0 ? n : at;
  };
  /** go-systemd's ignoreLine: a comment runs on while its line ends in a backslash (and maybe a space). */
  const skipComment = (from: number): number => {
    let at = from;
    for (;;) {
      const end = lineEnd(at);
      let last = end;
      if (last > at && text.charCodeAt(last - 1) === 0x20) last--;
      const continues = last > at && text.charCodeAt(last - 1) === 0x5c;
      at = end < n ? end + 1 : n;
      if (!continues || at >= n) return at;
    }
  };

  const options: UnitOption[] = [];
  let section: string | undefined;
  let at = 0;
  while (at < n) {
    const c = text.charCodeAt(at);
    if (c === 0x5b) {
      // '[' name ']' then nothing but spaces to the end of the line
      const close = text.indexOf(']', at + 1);
      if (close < 0) return undefined;
      const end = lineEnd(close + 1);
      if (text.slice(close + 1, end).trim() !== '') return undefined;
      section = text.slice(at + 1, close);
      at = end < n ? end + 1 : n;
    } else if (c === 0x23 || c === 0x3b) {
      at = skipComment(at + 1);
    } else if (section === undefined || c === 0x20 || c === 0x09 || c === 0x0a) {
      // before the first section everything else is skipped; inside one, white space is
      at++;
    } else {
      const end = lineEnd(at);
      const equals = text.indexOf('=', at);
      if (equals < 0 || equals > end) return undefined;
      const name = text.slice(at, equals).trim();
      let value = '';
      let from = equals + 1;
      for (;;) {
        const stop = lineEnd(from);
        const line = text.slice(from, stop);
        const atEof = stop >= n;
        from = atEof ? n : stop + 1;
        if (line.trim() === '') break;
        value += line;
        if (line.charCodeAt(line.length - 1) !== 0x5c) break;
        if (!atEof) value += '\n';
      }
      const trimmed = value.trim();
      options.push({ section, name, value: value.endsWith('\n') ? trimmed + '\n' : trimmed });
      at = from;
    }
  }
  return { ok: true, options };
}
