/**
 * The variant/version registry: one row per pair the real butane v0.25.1 knows, saying which
 * Ignition spec and base schema kindling translates it to, or that kindling does not implement it.
 */
import { describe, expect, it } from 'vitest';
import { translateButane } from '../../src/butane/index.ts';
import { VARIANTS, lookupVariant } from '../../src/butane/variants.ts';
import { IGNITION_SPEC_VERSIONS } from '../../src/ignition/spec-versions.ts';

const source = (variant: string, version: string) => `variant: ${variant}\nversion: ${version}\n`;

describe('the variant/version registry', () => {
  it('translates every implemented pair to its Ignition spec version', () => {
    const implemented = VARIANTS.filter((row) => row.status === 'implemented');
    expect(implemented.map((row) => `${row.variant} ${row.version} -> ${row.ignition}`)).toEqual([
      'fcos 1.4.0 -> 3.3.0',
      'fcos 1.5.0 -> 3.4.0',
      'flatcar 1.0.0 -> 3.3.0',
      'flatcar 1.1.0 -> 3.4.0',
    ]);
    for (const row of implemented) {
      const result = translateButane(source(row.variant, row.version));
      expect(result.output).toBe(`{"ignition":{"version":"${row.ignition}"}}\n`);
      expect(IGNITION_SPEC_VERSIONS).toContain(row.ignition);
    }
  });

  it('refuses every pair butane knows but kindling does not implement, naming what it implements', () => {
    const refused = VARIANTS.filter((row) => row.status !== 'implemented');
    expect(refused.length).toBeGreaterThan(10);
    for (const row of refused) {
      const version = row.version === '*' ? '4.18.0' : row.version;
      expect(translateButane(source(row.variant, version)).fatal).toBe(
        `Error translating config: kindling implements only fcos 1.4.0/1.5.0 and flatcar 1.0.0/1.1.0, not variant ${row.variant} with version ${version}`,
      );
    }
    expect(refused.filter((row) => row.status === 'experimental').map((row) => `${row.variant} ${row.version}`)).toEqual([
      'fcos 1.7.0-experimental',
      'flatcar 1.2.0-experimental',
      'r4e 1.2.0-experimental',
      'fiot 1.1.0-experimental',
    ]);
  });

  it('says no translator exists for a pair butane does not know either', () => {
    expect(lookupVariant('fcos', '9.9.9')).toBeUndefined();
    expect(translateButane(source('fcos', '9.9.9')).fatal).toBe('Error translating config: No translator exists for variant fcos with version 9.9.9');
  });
});
