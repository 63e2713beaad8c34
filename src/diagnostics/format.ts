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

export function formatDiagnosticText(d: Diagnostic, options: TextFormatOptions = {}): string {
  const color = options.color ?? false;
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  const label = d.severity === 'error' ? paint(color, '31;1', 'error') : d.severity === 'warning' ? paint(color, '33;1', 'warning') : paint(color, '36', 'info');
  const lines = [`${where}${label} ${d.message} ${paint(color, '2', `[${d.code}]`)}`];
  const frame = d.location && codeFrame(options.sources?.get(d.location.file), d.location.line, d.location.column);
  if (frame) lines.push(frame);
  if (d.hint) lines.push(`  ${paint(color, '36', 'hint:')} ${d.hint}`);
  return lines.join('\n');
}

/** The offending line with its neighbours and a caret under the column. */
export function codeFrame(text: string | undefined, line: number, column: number): string | undefined {
  if (text === undefined) return undefined;
  const all = text.split(/\r?\n/);
  const target = all[line - 1];
  if (target === undefined) return undefined;
  const width = String(line + 1).length;
  const out: string[] = [];
  for (let n = Math.max(1, line - 1); n <= Math.min(all.length, line + 1); n++) {
    const content = all[n - 1] ?? '';
    if (n !== line && content.trim() === '') continue;
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${content}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}

export function formatDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextFormatOptions = {}): string {
  return sortDiagnostics(diagnostics)
    .map((d) => formatDiagnosticText(d, options))
    .join('\n\n');
}

export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** Machine-readable form: one object per diagnostic, stable keys. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): object[] {
  return sortDiagnostics(diagnostics).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.location ? { file: d.location.file, line: d.location.line, column: d.location.column } : {}),
    ...(d.path ? { path: d.path } : {}),
  }));
}
