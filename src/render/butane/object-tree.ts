/**
 * A Butane document that kindling generated in memory, as the translator's input tree — the same
 * shape readYaml() produces from text, without writing and re-parsing YAML for every node of a
 * fleet. Numbers and booleans become plain scalars (typed by decode.ts like unquoted YAML);
 * strings become quoted scalars, so they stay strings exactly as the emitted config.bu quotes or
 * block-writes them. Positions are not meaningful here: on an error the caller translates the
 * config.bu text instead, to report real line:column.
 */
import type { YEntry, YNode } from './yaml-tree.ts';

const AT = { line: 1, column: 1 } as const;

/**
 * Converts afresh every time: a node's document is a few dozen small objects, and building their
 * tree costs less than remembering trees by object (a WeakMap lookup per object, and entries the
 * garbage collector must trace for every node of a fleet).
 */
export function objectToTree(value: unknown): YNode {
  if (value === null || value === undefined) return { kind: 'scalar', text: '', plain: true, isNull: true, line: 1, column: 1 };
  if (typeof value === 'string') return { kind: 'scalar', text: value, plain: false, isNull: false, line: 1, column: 1 };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', text: String(value), plain: true, isNull: false, line: 1, column: 1 };
  if (Array.isArray(value)) return { kind: 'seq', items: value.map(objectToTree), line: 1, column: 1 };
  if (typeof value === 'object') {
    const entries: YEntry[] = [];
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) entries.push({ key, keyPos: AT, value: objectToTree(v) });
    }
    return { kind: 'map', entries, line: 1, column: 1 };
  }
  throw new Error(`cannot represent ${typeof value} in a Butane document`);
}
