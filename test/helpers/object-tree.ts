/**
 * A Butane document that kindling generated in memory, as the tree readYaml() would make of its
 * config.bu: numbers and booleans as plain scalars (typed by decode.ts like unquoted YAML), strings
 * as quoted scalars. The build translates documents directly (translateButaneDocument); tests use
 * this tree to hold each document equal to what the decoder reads from it.
 */
import type { YNode } from '../../src/butane/yaml-tree.ts';

type YEntry = Extract<YNode, { kind: 'map' }>['entries'][number];

const AT = { line: 1, column: 1 } as const;

export function objectToTree(value: unknown): YNode {
  if (value === null || value === undefined) return { kind: 'scalar', text: '', plain: true, tag: '', quoted: false, isNull: true, line: 1, column: 1 };
  if (typeof value === 'string') return { kind: 'scalar', text: value, plain: false, tag: '', quoted: true, isNull: false, line: 1, column: 1 };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', text: String(value), plain: true, tag: '', quoted: false, isNull: false, line: 1, column: 1 };
  if (Array.isArray(value)) return { kind: 'seq', items: value.map(objectToTree), line: 1, column: 1 };
  if (typeof value === 'object') {
    const entries: YEntry[] = [];
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) entries.push({ key, keyNode: objectToTree(key), keyPos: AT, value: objectToTree(v) });
    }
    return { kind: 'map', entries, line: 1, column: 1 };
  }
  throw new Error(`cannot represent ${typeof value} in a Butane document`);
}
