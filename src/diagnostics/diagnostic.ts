/**
 * The one shape every problem takes, from YAML syntax to an over-budget payload.
 * Modelled on vfile-message (reason + place + rule id) with zod-style typed codes:
 * stages collect these and never print; formatting lives in ./format.ts.
 */
import type { DiagnosticCode } from './codes.ts';

export type Severity = 'error' | 'warning' | 'info';

/** 1-based line and column, as editors and compilers print them. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
  readonly location?: SourceLocation;
  /** Path inside the document (e.g. ['nodes', 2, 'mac']), when one applies. */
  readonly path?: readonly (string | number)[];
  /** A warning the project accepts (acknowledge.ts): the project's reason. It fails no --strict run. */
  readonly acknowledged?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[], strict = false): boolean {
  return diagnostics.some((d) => d.severity === 'error' || (strict && d.severity === 'warning' && d.acknowledged === undefined));
}

/** The warnings that fail a --strict run (every warning the project has not acknowledged). */
export function strictFailures(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'warning' && d.acknowledged === undefined);
}

/** Orders diagnostics by file, line and column so output is stable whatever order stages ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.location?.line ?? 0;
    const lb = b.location?.line ?? 0;
    if (la !== lb) return la - lb;
    return (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}

/**
 * Thrown only across an I/O boundary to abort a stage that cannot continue; carries
 * diagnostics so the CLI prints them instead of a stack trace.
 */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}
