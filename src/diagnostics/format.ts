/**
 * Presentation of diagnostics, kept apart from the data (zod's habit): text with a code frame for
 * people, JSON for machines. Pure: the caller supplies file texts for code frames.
 */
import type { Diagnostic } from './diagnostic.ts';
import { sortDiagnostics } from './diagnostic.ts';

export interface TextFormatOptions {
  /** File path → text, for code frames. */
  readonly sources?: ReadonlyMap<string, string>;
  readonly color?: boolean;
}

const paint = (on: boolean, code: string, text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

function formatDiagnosticText(d: Diagnostic, options: TextFormatOptions = {}): string {
  const color = options.color ?? false;
  const where = d.location ? `${printable(d.location.file)}:${d.location.line}:${d.location.column}: ` : '';
  const label = d.severity === 'error' ? paint(color, '31;1', 'error') : d.severity === 'warning' ? paint(color, '33;1', 'warning') : paint(color, '36', 'info');
  const lines = [`${where}${label} ${printable(capped(d.message))} ${paint(color, '2', `[${d.code}]`)}`];
  const frame = d.location && codeFrame(options.sources?.get(d.location.file), d.location.line, d.location.column);
  if (frame) lines.push(frame);
  if (d.hint) lines.push(`  ${paint(color, '36', 'hint:')} ${printable(capped(d.hint))}`);
  return lines.join('\n');
}

/**
 * Messages quote user values (names, paths, keys), which may be huge or hold line breaks and
 * terminal escapes; a message is cut to this many characters and printed with those escaped.
 */
const MAX_MESSAGE = 1000;
/** How much of a source line a code frame shows: a window around the column. */
const FRAME_WIDTH = 120;

function capped(text: string): string {
  if (text.length <= MAX_MESSAGE) return text;
  return `${text.slice(0, MAX_MESSAGE)}… (${(text.length - MAX_MESSAGE).toLocaleString('en-US')} more characters)`;
}

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with line breaks, tabs and control characters written as escapes, so it prints as one inert line. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`));
}

/** The offending line with its neighbours and a caret under the column; long lines as a window around it. */
function codeFrame(text: string | undefined, line: number, column: number): string | undefined {
  if (text === undefined) return undefined;
  const lines = neighbourLines(text, line);
  if (lines === undefined) return undefined;
  const width = String(line + 1).length;
  // The window is the same for every line shown, so the neighbours stay aligned with the target.
  const start = Math.max(0, Math.min(column - 1 - FRAME_WIDTH / 2, lines.target.length - FRAME_WIDTH));
  const out: string[] = [];
  for (const [n, content] of lines.shown) {
    if (n !== line && content.trim() === '') continue;
    const view = windowOf(content, start);
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${view.text}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(view.caretOffset(column - 1))}^`);
  }
  return out.join('\n');
}

/** Lines line-1 .. line+1 of `text`, found without splitting the whole text (it may be very large). */
function neighbourLines(text: string, line: number): { target: string; shown: [number, string][] } | undefined {
  const shown: [number, string][] = [];
  let target: string | undefined;
  let from = 0;
  for (let n = 1; n <= line + 1 && from <= text.length; n++) {
    const end = text.indexOf('\n', from);
    const stop = end < 0 ? text.length : end;
    if (n >= line - 1) {
      const content = text.slice(from, stop > from && text[stop - 1] === '\r' ? stop - 1 : stop);
      shown.push([n, content]);
      if (n === line) target = content;
    }
    if (end < 0) break;
    from = end + 1;
  }
  return target === undefined ? undefined : { target, shown };
}

/** The part of `content` from `start` that a frame shows, escaped, with the caret position mapped into it. */
function windowOf(content: string, start: number): { text: string; caretOffset: (index: number) => number } {
  const from = Math.max(0, Math.min(start, content.length));
  const to = Math.min(content.length, from + FRAME_WIDTH);
  const before = from > 0 ? '…' : '';
  const text = `${before}${printable(content.slice(from, to))}${to < content.length ? '…' : ''}`;
  return { text, caretOffset: (index) => before.length + printable(content.slice(from, Math.max(from, index))).length };
}

/** Acknowledged warnings are left out: the summary line counts them. */
export function formatDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextFormatOptions = {}): string {
  return sortDiagnostics(diagnostics.filter((d) => d.acknowledged === undefined))
    .map((d) => formatDiagnosticText(d, options))
    .join('\n\n');
}

export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning' && d.acknowledged === undefined).length;
  const acknowledged = diagnostics.filter((d) => d.acknowledged !== undefined).length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${acknowledged ? ` (${acknowledged} acknowledged)` : ''}`;
}

/** Machine-readable form: one object per diagnostic, stable keys. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): object[] {
  return sortDiagnostics(diagnostics).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: capped(d.message),
    ...(d.hint ? { hint: capped(d.hint) } : {}),
    ...(d.location ? { file: d.location.file, line: d.location.line, column: d.location.column } : {}),
    ...(d.path ? { path: d.path } : {}),
    ...(d.acknowledged !== undefined ? { acknowledged: d.acknowledged } : {}),
  }));
}
