/**
 * How far aliases may expand a YAML document: yaml.v3's rule (the Go YAML library Butane and
 * Kubernetes read with), so kindling accepts what they accept. Once more than 100 values came from
 * aliases in a document of more than 1,000 values, at most 99% of the values of a document up to
 * 400,000 values may come from aliases, falling to 10% at 4,000,000 values. A "billion laughs"
 * document, nearly all aliases, trips it after about a thousand values, long before it fills memory.
 */
const RANGE_LOW = 400_000;
const RANGE_HIGH = 4_000_000;

function allowedAliasRatio(decoded: number): number {
  if (decoded <= RANGE_LOW) return 0.99;
  if (decoded >= RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decoded - RANGE_LOW) / (RANGE_HIGH - RANGE_LOW));
}

/** Whether `fromAliases` of the `decoded` values so far came from aliases beyond what is allowed. */
export function excessiveAliasing(decoded: number, fromAliases: number): boolean {
  return fromAliases > 100 && decoded > 1000 && fromAliases / decoded > allowedAliasRatio(decoded);
}
