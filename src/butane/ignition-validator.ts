/**
 * The seam to Ignition-level validation, which lives in src/ignition/validate.ts
 * (Ignition's rules and wording, on JSON paths). The translator maps its paths back to the
 * Butane input through the TranslationSet.
 */
export { validateIgnition } from '../ignition/validate.ts';
export type { IgnitionIssue } from '../ignition/validate.ts';
export type { IgnitionSpecVersion } from '../ignition/spec-versions.ts';
