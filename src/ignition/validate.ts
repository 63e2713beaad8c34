/**
 * Validates a generated Ignition config before it leaves kindling, so a node never boots into
 * a config Ignition would reject. Two passes: the spec's structure (JSON Schema, draft-04) and
 * the semantic rules of Ignition's own validator, reported with Ignition's wording and JSON
 * paths (['storage', 'files', 0, 'path']) so callers, e.g. the Butane translator, can map them
 * back to their input.
 *
 * Rules follow current Ignition (as vendored by butane v0.25.1). Against Debian's
 * ignition-validate 2.14.0 the differences are deliberate and listed in the tests.
 */
import { checkConfigSemantics } from './config-rules.ts';
import { checkSchema } from './schema-check.ts';
import { ValidationMemory } from './validation-memory.ts';

import type { IgnitionSpecVersion } from './spec-versions.ts';
import { IGNITION_ERRORS as E, type IgnitionCode } from './errors.ts';

export type { IgnitionSpecVersion } from './spec-versions.ts';

/**
 * One problem of a config, in the shape kindling's Diagnostics have (without the file, which the
 * caller knows): `code` from the errors table (./errors.ts), `path` the JSON path of the value.
 */
export interface IgnitionIssue {
  code: IgnitionCode;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  path: (string | number)[];
}

const pathKey = (path: (string | number)[]): string => JSON.stringify(path);

/** `memory`: what earlier checks by the same caller remembered (validation-memory.ts); a fresh one by default. */
export function validateIgnition(config: unknown, version: IgnitionSpecVersion, memory = new ValidationMemory()): IgnitionIssue[] {
  const schemaIssues = checkSchema(config, version);
  const semanticIssues = checkConfigSemantics(config, version, memory);
  // A missing required key that Ignition itself reports (path not specified, invalid unit
  // extension, ...) is said once, in Ignition's words.
  const semanticPaths = new Set(semanticIssues.filter((i) => i.severity === 'error').map((i) => pathKey(i.path)));
  const structural = schemaIssues.filter(
    (i) => !(i.code === E.keyRequired.code && semanticPaths.has(pathKey(i.path))),
  );
  const errors = structural.filter((i) => i.severity === 'error');
  const unusedKeys = structural.filter((i) => i.severity === 'warning');
  return [...errors, ...semanticIssues, ...unusedKeys];
}
