/**
 * A Butane document that kindling generated in memory, as the translator's input tree — the same
 * shape readYaml() produces from text, without writing and re-parsing YAML for every node of a
 * fleet. Numbers and booleans become plain scalars (typed by decode.ts like unquoted YAML);
 * strings become quoted scalars, so they stay strings exactly as the emitted config.bu quotes or
 * block-writes them. Positions are not meaningful here: on an error the caller translates the
 * config.bu text instead, to report real line:column.
 */
import type { YNode } from './yaml-tree.ts';

const AT = { line: 1, column: 1 } as const;

const trees = new WeakMap<object, YNode>();

/** Objects map to the same tree every time, so shared document parts are converted once. */
export function objectToTree(value: unknown): YNode {
  if (value === null || typeof value !== 'object') return convert(value);
  let tree = trees.get(value);
  if (!tree) trees.set(value, (tree = convert(value)));
  return tree;
}

function convert(value: unknown): YNode {
  if (value === null || value === undefined) return { kind: 'scalar', text: '', plain: true, isNull: true, ...AT };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', text: String(value), plain: true, isNull: false, ...AT };
  if (typeof value === 'string') return { kind: 'scalar', text: value, plain: false, isNull: false, ...AT };
  if (Array.isArray(value)) return { kind: 'seq', items: value.map(objectToTree), ...AT };
  if (typeof value === 'object') {
    return {
      kind: 'map',
      entries: Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => ({ key, keyPos: AT, value: objectToTree(v) })),
      ...AT,
    };
  }
  throw new Error(`cannot represent ${typeof value} in a Butane document`);
}
