/**
 * The libraries' reports as kindling Diagnostics. Butane's report entries and Ignition's issues
 * have the Diagnostic's fields already (code, severity, message, hint, path, line and column), so
 * this is a plain mapping: codes are prefixed with the library (`butane/unused-key`; an entry the
 * Ignition validator found keeps its `ignition/` code), and the line and column are placed in
 * the file the caller names.
 */
import type { Diagnostic } from './diagnostic.ts';
import type { ButaneResult } from '../butane/index.ts';
import type { ButaneReportCode } from '../butane/errors.ts';
import type { DiagnosticCode } from './codes.ts';

function butaneCode(code: ButaneReportCode): DiagnosticCode {
  return code.startsWith('ignition/') ? (code as DiagnosticCode) : `butane/${code as Exclude<ButaneReportCode, `ignition/${string}`>}`;
}

/** Every entry of a Butane report, at its line:column of `file`; a failure without an error entry (YAML syntax, unknown variant, --strict) as one error at the top. */
export function butaneDiagnostics(result: ButaneResult, file: string): Diagnostic[] {
  const out: Diagnostic[] = result.report.map((e) => ({
    code: butaneCode(e.code),
    severity: e.severity,
    message: e.message,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
    ...(e.line !== undefined ? { location: { file, line: e.line, column: e.column ?? 1 } } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
  }));
  if (!result.ok && !out.some((d) => d.severity === 'error')) {
    out.push({
      code: result.fatalCode !== undefined ? `butane/${result.fatalCode}` : 'butane/invalid',
      severity: 'error',
      message: result.fatal ?? 'Butane translation failed',
      location: { file, line: 1, column: 1 },
    });
  }
  return out;
}

