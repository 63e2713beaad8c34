/**
 * Turns a YAML AST into plain JavaScript values with the rules profiles need, which are not exactly
 * YAML 1.2's or YAML 1.1's:
 *
 * - `0644` (plain, leading zero, octal digits) is OCTAL, as cloud-init's YAML 1.1 reads it, so a
 *   file mode means the same in a profile as in a cloud-config. `0o644` works too (YAML 1.2).
 * - A plain number with a leading zero that is not octal (`0089`) is ambiguous: reported, not guessed.
 * - `yes`/`no`/`on`/`off` stay strings (YAML 1.2); boolean fields then fail the schema with a hint.
 * - Plain scalars remember their literal text so that a string field written `version: 1.10`
 *   can keep "1.10" (see `literalAt`).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, Scalar } from 'yaml';

export interface AmbiguousNumber {
  readonly node: Scalar;
  readonly source: string;
}

export interface ConversionResult {
  readonly value: unknown;
  readonly ambiguous: readonly AmbiguousNumber[];
}

const LEADING_ZERO_OCTAL = /^[-+]?0[0-7]+$/;
const LEADING_ZERO_NUMBER = /^[-+]?0[0-9]+(\.[0-9]*)?$/;

export function yamlToValue(doc: Document): ConversionResult {
  const ambiguous: AmbiguousNumber[] = [];
  const seen = new Set<Node>();

  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || seen.has(target)) return null; // a recursive alias is reported by yaml itself
      seen.add(target);
      const value = convert(target);
      seen.delete(target);
      return value;
    }
    if (isScalar(node)) return scalarValue(node, ambiguous);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(convert(pair.key));
        // Own-property assignment guards against a `__proto__` key changing the prototype.
        Object.defineProperty(out, key, { value: convert(pair.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => convert(item));
    return null;
  };

  return { value: convert(doc.contents), ambiguous };
}

function scalarValue(node: Scalar, ambiguous: AmbiguousNumber[]): unknown {
  if (node.type !== Scalar.PLAIN || typeof node.source !== 'string') return node.value;
  const source = node.source;
  if (typeof node.value === 'number' || typeof node.value === 'bigint') {
    if (LEADING_ZERO_OCTAL.test(source)) return parseInt(source, 8);
    if (LEADING_ZERO_NUMBER.test(source)) {
      ambiguous.push({ node, source });
      return node.value;
    }
    return typeof node.value === 'bigint' ? Number(node.value) : node.value;
  }
  return node.value;
}
