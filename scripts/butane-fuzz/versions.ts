/**
 * The variant/version pairs the fuzzer covers: the one list to extend when kindling implements
 * another. `base` picks the fields the generator may use (Butane's base schema v0_<base>).
 */
export interface FuzzTarget {
  readonly variant: 'fcos' | 'flatcar';
  readonly version: string;
  readonly base: 4 | 5 | 6;
}

export const TARGETS: readonly FuzzTarget[] = [
  { variant: 'fcos', version: '1.4.0', base: 4 },
  { variant: 'fcos', version: '1.5.0', base: 5 },
  { variant: 'fcos', version: '1.6.0', base: 6 },
  { variant: 'flatcar', version: '1.0.0', base: 4 },
  { variant: 'flatcar', version: '1.1.0', base: 5 },
];
