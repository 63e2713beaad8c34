/**
 * The one way the packers refuse input. Packers are pure and their inputs come from earlier stages,
 * so a bad path or name here is a bug upstream or a hostile profile that slipped through; either way
 * it must surface as a diagnostic the CLI prints, never as a half-written archive or a stack trace.
 */
import { DiagnosticError } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';

export function invalidPackInput(code: DiagnosticCode, message: string, hint?: string): DiagnosticError {
  return new DiagnosticError([{ code, severity: 'error', message, ...(hint === undefined ? {} : { hint }) }]);
}
