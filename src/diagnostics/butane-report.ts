/**
 * A node's generated Butane config, translated, as kindling Diagnostics. The translator's report
 * entries (its own and the Ignition validator's) already have the Diagnostic's fields; the build
 * says them about the node: the message names the node and the config.bu line, the place is the
 * profile line behind the entry (else the node), and the code says what the entry means for the
 * generated config (ignition/invalid, ignition/warning; butane/invalid for a failure no entry
 * explains), since a problem there is one of kindling's output, not of a file the user wrote.
 */
import type { Diagnostic, SourceLocation } from './diagnostic.ts';
import type { ButaneReportEntry, ButaneResult } from '../butane/index.ts';

/** The node a generated config belongs to. */
export interface GeneratedConfigOwner {
  readonly name: string;
  /** Where the node is defined: the place of an entry no profile line explains. */
  readonly origin: SourceLocation;
  /** The profile line behind a report entry (a role's unit, a node's file), when there is one. */
  readonly profileLineOf: (entry: ButaneReportEntry) => SourceLocation | undefined;
}

/** Every error and warning of the translation, then one error for a failure none of them explains. */
export function generatedConfigDiagnostics(result: ButaneResult, owner: GeneratedConfigOwner): Diagnostic[] {
  const diagnostics: Diagnostic[] = result.report
    .filter((entry) => entry.severity !== 'info')
    .map((entry) => {
      const error = entry.severity === 'error';
      const origin = owner.profileLineOf(entry);
      return {
        code: error ? 'ignition/invalid' : 'ignition/warning',
        severity: error ? 'error' : 'warning',
        message: `node ${owner.name}: the generated Ignition config ${error ? 'is invalid' : 'has a warning'}: ${entry.message}${entry.line ? ` (config.bu line ${entry.line})` : ''}`,
        hint: origin ? 'fix this entry of the profile' : 'run `kindling plan` for the node to see the generated entry; if it comes from kindling itself, please report it',
        location: origin ?? owner.origin,
      };
    });
  if (!result.ok && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({
      code: 'butane/invalid',
      severity: 'error',
      message: `node ${owner.name}: the generated config.bu did not translate: ${result.fatal ?? 'unknown error'}`,
      hint: 'this is most likely a kindling bug; please report it with the profile',
      location: owner.origin,
    });
  }
  return diagnostics;
}
