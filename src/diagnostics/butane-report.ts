/**
 * Butane's report as kindling Diagnostics: every entry keeps its line:column in the Butane file
 * and its YAML path. kindling's side of the Butane library, which knows nothing of Diagnostics.
 */
import type { Diagnostic } from './diagnostic.ts';
import type { ButaneResult } from '../butane/index.ts';

export function butaneDiagnostics(result: ButaneResult, file: string): Diagnostic[] {
  const out: Diagnostic[] = result.report.map((e) => ({
    // No dedicated code exists for Butane warnings; Ignition's is the closest (most of them
    // come from Ignition's own validation of the generated config).
    code: e.kind === 'error' ? 'butane/invalid' : 'ignition/warning',
    severity: e.kind,
    message: e.message,
    ...(e.line !== undefined ? { location: { file, line: e.line, column: e.column ?? 1 } } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
  }));
  if (!result.ok && !out.some((d) => d.severity === 'error')) {
    // Fatal without an entry: YAML syntax, unknown variant/version, type errors, --strict.
    out.push({ code: 'butane/invalid', severity: 'error', message: result.fatal ?? 'Butane translation failed', location: { file, line: 1, column: 1 } });
  }
  return out;
}
