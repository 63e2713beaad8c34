/** The Ignition spec versions this validator knows: one JSON Schema (schemas/) and one rule set each. */
export const IGNITION_SPEC_VERSIONS = Object.freeze(['3.3.0', '3.4.0', '3.5.0'] as const);

export type IgnitionSpecVersion = (typeof IGNITION_SPEC_VERSIONS)[number];
