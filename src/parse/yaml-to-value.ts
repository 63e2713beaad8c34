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
 * - Aliases are expanded (the values are plain trees), within yaml.v3's limit (the Butane translator's, butane/alias-limit.ts):
 *   past it, conversion stops and names the alias being expanded.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, Scalar } from 'yaml';
import { excessiveAliasing } from '../butane/alias-limit.ts';

interface AmbiguousNumber {
  readonly node: Scalar;
  readonly source: string;
}

export interface ConversionResult {
  readonly value: unknown;
  readonly ambiguous: readonly AmbiguousNumber[];
  /** Set when aliases expanded the document past the limit: the outermost alias then being expanded. */
  readonly excessiveAlias?: Alias;
  /** Aliases that name no anchor defined before them (YAML reads them as null, hiding the mistake). */
  readonly undefinedAliases: readonly Alias[];
}

/** Thrown out of the walk when the alias limit is reached; never leaves this module. */
class AliasLimitReached {
  constructor(readonly alias: Alias) {}
}

const LEADING_ZERO_OCTAL = /^[-+]?0[0-7]+$/;
const LEADING_ZERO_NUMBER = /^[-+]?0[0-9]+(\.[0-9]*)?$/;

export function yamlToValue(doc: Document): ConversionResult {
  const ambiguous: AmbiguousNumber[] = [];
  const undefinedAliases: Alias[] = [];
  const seen = new Set<Node>();
  const targets = aliasTargets(doc);
  let decoded = 0;
  let fromAliases = 0;
  let outermostAlias: Alias | undefined;
  const count = (): void => {
    decoded++;
    if (outermostAlias === undefined) return;
    fromAliases++;
    if (excessiveAliasing(decoded, fromAliases)) throw new AliasLimitReached(outermostAlias);
  };

  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target) {
        undefinedAliases.push(node);
        return null;
      }
      if (seen.has(target)) return null; // a recursive alias is reported by yaml itself
      const outermost = outermostAlias === undefined;
      if (outermost) outermostAlias = node;
      seen.add(target);
      const value = convert(target);
      seen.delete(target);
      if (outermost) outermostAlias = undefined;
      return value;
    }
    count();
    if (isScalar(node)) return scalarValue(node, ambiguous);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) count();
        const key = isScalar(pair.key) ? String(pair.key.value) : String(convert(pair.key));
        // Own-property assignment guards against a `__proto__` key changing the prototype.
        Object.defineProperty(out, key, { value: convert(pair.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => convert(item));
    return null;
  };

  try {
    return { value: convert(doc.contents), ambiguous, undefinedAliases };
  } catch (error) {
    if (error instanceof AliasLimitReached) return { value: null, ambiguous, undefinedAliases, excessiveAlias: error.alias };
    throw error;
  }
}

/**
 * Every alias's node, found in one pass: the last node before it (in document order) with its
 * anchor, which is what Alias.resolve finds, but that searches the whole document on every call.
 */
function aliasTargets(doc: Document): Map<Alias, Node> {
  const anchored = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchored.get(node.source);
        if (target) targets.set(node, target);
      } else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
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
