/**
 * The seam to Ignition-level validation (src/render/ignition/validate.ts, written separately).
 * Until that module exists this re-declares its interface and validates nothing.
 */
export interface IgnitionIssue {
  severity: 'error' | 'warning';
  path: (string | number)[];
  message: string;
}

export type ValidateIgnition = (config: unknown, version: '3.3.0' | '3.4.0') => IgnitionIssue[];

export const validateIgnition: ValidateIgnition = () => [];
