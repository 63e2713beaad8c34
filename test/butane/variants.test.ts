/**
 * The variant/version registry: one row per pair the real butane v0.25.1 knows, saying which
 * Ignition spec and base schema kindling translates it to, or that kindling does not implement it.
 */
import { describe, expect, it } from 'vitest';
import { translateButane } from '../../src/butane/index.ts';
import { lookupVariant } from '../../src/butane/variants.ts';
import { IGNITION_SPEC_VERSIONS } from '../../src/ignition/spec-versions.ts';

const source = (variant: string, version: string) => `variant: ${variant}\nversion: ${version}\n`;

/** Every pair butane v0.25.1 translates that kindling implements, with the Ignition spec it produces. */
const IMPLEMENTED = [
  ['fcos', '1.4.0', '3.3.0'],
  ['fcos', '1.5.0', '3.4.0'],
  ['fcos', '1.6.0', '3.5.0'],
  ['flatcar', '1.0.0', '3.3.0'],
  ['flatcar', '1.1.0', '3.4.0'],
] as const;

/** Every other pair butane v0.25.1 translates (openshift: any version), and whether butane calls it experimental. */
const REFUSED = [
  ['fcos', '1.0.0', 'not-implemented'],
  ['fcos', '1.1.0', 'not-implemented'],
  ['fcos', '1.2.0', 'not-implemented'],
  ['fcos', '1.3.0', 'not-implemented'],
  ['fcos', '1.7.0-experimental', 'experimental'],
  ['flatcar', '1.2.0-experimental', 'experimental'],
  ['openshift', '4.18.0', 'not-implemented'],
  ['openshift', '4.8.0', 'not-implemented'],
  ['r4e', '1.0.0', 'not-implemented'],
  ['r4e', '1.1.0', 'not-implemented'],
  ['r4e', '1.2.0-experimental', 'experimental'],
  ['fiot', '1.0.0', 'not-implemented'],
  ['fiot', '1.1.0-experimental', 'experimental'],
] as const;

describe('the variant/version registry', () => {
  it('translates every implemented pair to its Ignition spec version', () => {
    for (const [variant, version, ignition] of IMPLEMENTED) {
      const result = translateButane(source(variant, version));
      expect(result.output, `${variant} ${version}`).toBe(`{"ignition":{"version":"${ignition}"}}\n`);
      expect(IGNITION_SPEC_VERSIONS).toContain(ignition);
    }
  });

  it('refuses every pair butane knows but kindling does not implement, naming what it implements', () => {
    for (const [variant, version, status] of REFUSED) {
      expect(lookupVariant(variant, version)?.status, `${variant} ${version}`).toBe(status);
      expect(translateButane(source(variant, version)).fatal).toBe(
        `Error translating config: kindling implements only fcos 1.4.0/1.5.0/1.6.0 and flatcar 1.0.0/1.1.0, not variant ${variant} with version ${version}`,
      );
    }
  });

  it('says no translator exists for a pair butane does not know either', () => {
    expect(lookupVariant('fcos', '9.9.9')).toBeUndefined();
    expect(translateButane(source('fcos', '9.9.9')).fatal).toBe('Error translating config: No translator exists for variant fcos with version 9.9.9');
  });
});
