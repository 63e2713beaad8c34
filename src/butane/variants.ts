/**
 * Every variant and version the real butane v0.25.1 translates, and what kindling does with it:
 * an implemented pair names the Ignition spec version it produces, the base schema it reads
 * (schema.ts) and whether the Fedora CoreOS sugar applies; the others are refused by name.
 * Experimental pairs are Butane's unstable versions, which kindling does not implement.
 */
import type { IgnitionSpecVersion } from '../ignition/spec-versions.ts';
import type { BaseVersion } from './schema.ts';

interface Known {
  readonly variant: string;
  /** `*`: every version of the variant. */
  readonly version: string;
}

export interface ImplementedVariant extends Known {
  readonly status: 'implemented';
  readonly ignition: IgnitionSpecVersion;
  readonly base: BaseVersion;
  /** Fedora CoreOS's sugar (boot_device, grub) and rules (reserved partition labels). */
  readonly fcos: boolean;
  /** The Go packages of the base schema and of the variant's own structs, as yaml.v3 names their types in errors. */
  readonly goPackages: GoPackages;
}

export interface GoPackages {
  /** `v0_5`: base v0_5. */
  readonly base: string;
  /** `v1_5`: the variant's package for its version (fcos 1.5.0 → v1_5). */
  readonly variant: string;
}

interface RefusedVariant extends Known {
  readonly status: 'not-implemented' | 'experimental';
}

export type VariantEntry = ImplementedVariant | RefusedVariant;

const implemented = (variant: string, version: string, ignition: IgnitionSpecVersion, base: BaseVersion): ImplementedVariant => {
  const [major, minor] = version.split('.');
  const goPackages = Object.freeze({ base: `v0_${base}`, variant: `v${major}_${minor}` });
  return Object.freeze({ variant, version, status: 'implemented', ignition, base, fcos: variant === 'fcos', goPackages });
};
const refused = (variant: string, version: string): RefusedVariant =>
  Object.freeze({ variant, version, status: version.endsWith('-experimental') ? 'experimental' : 'not-implemented' });

const VARIANTS: readonly VariantEntry[] = Object.freeze([
  refused('fcos', '1.0.0'),
  refused('fcos', '1.1.0'),
  refused('fcos', '1.2.0'),
  refused('fcos', '1.3.0'),
  implemented('fcos', '1.4.0', '3.3.0', 4),
  implemented('fcos', '1.5.0', '3.4.0', 5),
  implemented('fcos', '1.6.0', '3.5.0', 6),
  refused('fcos', '1.7.0-experimental'),
  implemented('flatcar', '1.0.0', '3.3.0', 4),
  implemented('flatcar', '1.1.0', '3.4.0', 5),
  refused('flatcar', '1.2.0-experimental'),
  refused('openshift', '*'),
  refused('r4e', '1.0.0'),
  refused('r4e', '1.1.0'),
  refused('r4e', '1.2.0-experimental'),
  refused('fiot', '1.0.0'),
  refused('fiot', '1.1.0-experimental'),
]);

const BY_KEY: Readonly<Record<string, VariantEntry>> = Object.freeze(Object.fromEntries(VARIANTS.map((row) => [`${row.variant}+${row.version}`, row])));

/** The row for a variant and a normalised version, or undefined when butane knows neither. */
export function lookupVariant(variant: string, version: string): VariantEntry | undefined {
  return BY_KEY[`${variant}+${version}`] ?? BY_KEY[`${variant}+*`];
}

/**
 * The implemented Butane version of `variant` that produces Ignition spec `ignition` (fcos 3.5.0 →
 * 1.6.0), or undefined when none does (flatcar has no stable version for 3.5.0).
 */
export function butaneVersionFor(variant: string, ignition: IgnitionSpecVersion): string | undefined {
  return VARIANTS.find((row) => row.status === 'implemented' && row.variant === variant && row.ignition === ignition)?.version;
}

/** "fcos 1.4.0/1.5.0/1.6.0 and flatcar 1.0.0/1.1.0": the implemented pairs, for messages and help. */
export function implementedSummary(): string {
  const versions = new Map<string, string[]>();
  for (const row of VARIANTS) {
    if (row.status !== 'implemented') continue;
    const list = versions.get(row.variant) ?? [];
    versions.set(row.variant, [...list, row.version]);
  }
  return [...versions].map(([variant, list]) => `${variant} ${list.join('/')}`).join(' and ');
}
