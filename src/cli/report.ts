/**
 * How the CLI shows diagnostics: text with code frames on stderr (colour only on a terminal and
 * without NO_COLOR), or one JSON document for machines. Never a stack trace.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, strictFailures } from '../diagnostics/diagnostic.ts';
import { diagnosticsJson, formatDiagnosticsText, summaryLine } from '../diagnostics/format.ts';
import { readBoundedFile } from '../io/bounded-file.ts';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly color: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
};

function sourcesFor(diagnostics: readonly Diagnostic[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const d of diagnostics) {
    const file = d.location?.file;
    if (!file || sources.has(file)) continue;
    // A frame is a nicety: a file that cannot be read as an input (a FIFO, a device, too large)
    // gets none, and the location line is still printed.
    const read = readBoundedFile(file);
    if (read.ok) sources.set(file, read.data.toString('utf8'));
  }
  return sources;
}

/**
 * Prints diagnostics in text form (JSON output is assembled by each command with its result).
 * Under --strict, a run that fails only on warnings says which ones, and how to accept one.
 */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], strict = false): void {
  if (diagnostics.length === 0) return;
  const text = formatDiagnosticsText(diagnostics, { sources: sourcesFor(diagnostics), color: io.color });
  io.stderr(`${text ? `${text}\n\n` : ''}${summaryLine(diagnostics)}\n`);
  const failing = strict && !hasErrors(diagnostics) ? strictFailures(diagnostics) : [];
  if (failing.length) io.stderr(`--strict: ${countOf(failing.length, 'warning')} fail this run: ${codeCounts(failing)}; fix them, or accept a code with a reason in the Cluster's \`acknowledge:\` list\n`);
}

/** "2 warnings", "1 warning". */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function codeCounts(diagnostics: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => (n === 1 ? code : `${code} (${n})`)).join(', ');
}

export function exitCodeFor(diagnostics: readonly Diagnostic[], strict: boolean): number {
  return hasErrors(diagnostics, strict) ? 1 : 0;
}

export function jsonReport(result: Record<string, unknown>, diagnostics: readonly Diagnostic[], strict: boolean): string {
  return `${JSON.stringify({ ok: !hasErrors(diagnostics, strict), ...result, diagnostics: diagnosticsJson(diagnostics) }, null, 2)}\n`;
}
