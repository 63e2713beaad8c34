/**
 * Warnings a project has accepted (the Cluster's `acknowledge: [{code, reason}]`), e.g. a plain-http
 * lab's secret/unprotected-channel. An acknowledged warning stays in the results, marked with the
 * project's reason: it no longer fails `--strict` and is counted, not printed in full. Errors are
 * never acknowledged: they mean the output would be wrong.
 */
import type { Diagnostic } from './diagnostic.ts';

/** Warning code → the project's reason for accepting it. */
export type Acknowledgements = ReadonlyMap<string, string>;

export function acknowledgementsOf(list: readonly { readonly code: string; readonly reason: string }[] | undefined): Acknowledgements {
  return new Map((list ?? []).map((entry) => [entry.code, entry.reason]));
}

/** Marks, in place, each warning of `diagnostics` whose code the project acknowledges. */
export function applyAcknowledgements(diagnostics: Diagnostic[], acknowledged: Acknowledgements): void {
  if (acknowledged.size === 0) return;
  diagnostics.forEach((d, i) => {
    const reason = d.severity === 'warning' && d.acknowledged === undefined ? acknowledged.get(d.code) : undefined;
    if (reason !== undefined) diagnostics[i] = { ...d, acknowledged: reason };
  });
}
