/**
 * Butane's unused-key check (Ignition's ValidateUnusedKeys over Butane's context tree): for every
 * struct of the decoded config, at its Go path, the YAML node at that path in the tree as written
 * (no alias followed, no merge applied). A mapping there gets an "unused key" warning for each key
 * the struct lacks (a merge key `<<` too); anything else there (an alias, a null) gets the
 * "context tree does not match" warning; no node there (a merged or aliased part): no check.
 */
import { BUTANE_ERRORS as E } from './errors.ts';
import type { Schema, CompiledStruct } from './schema.ts';
import type { Decoded } from './decode.ts';
import type { YNode } from './yaml-tree.ts';
import type { ReportPath } from './report.ts';
import type { Position } from './yaml-tree.ts';

export interface UnusedKeyWarning {
  readonly code: string;
  readonly message: string;
  readonly path: ReportPath;
  readonly pos: Position;
}

/** The node at `path` in the tree as written, or undefined when the path leaves it. */
function nodeAt(root: YNode, path: ReportPath): YNode | undefined {
  let node: YNode | undefined = root;
  for (const seg of path) {
    if (node === undefined) return undefined;
    if (node.kind === 'map' && typeof seg === 'string') node = node.entries.find((e) => e.key === seg)?.value;
    else if (node.kind === 'seq' && typeof seg === 'number') node = node.items[seg];
    else return undefined;
  }
  return node;
}

function formatPath(path: ReportPath): string {
  return '$' + path.map((s) => '.' + String(s)).join('');
}

export function unusedKeyWarnings(root: YNode, schema: Schema, config: Decoded): UnusedKeyWarning[] {
  const out: UnusedKeyWarning[] = [];
  const visit = (def: CompiledStruct, value: Decoded | undefined, path: ReportPath): void => {
    const node = nodeAt(root, path);
    if (node !== undefined) {
      if (node.kind !== 'map') {
        const said = E.contextMismatch.with(formatPath(path));
        out.push({ code: said.code, message: said.message, path, pos: node });
      } else {
        for (const entry of node.entries) {
          if (def.byYaml.has(entry.key)) continue;
          const said = E.unusedKey.with(entry.key);
          out.push({ code: said.code, message: said.message, path: [...path, entry.key], pos: entry.keyPos });
        }
      }
    }
    for (const field of def.fields) {
      const type = field.type;
      if (typeof type !== 'object') continue;
      if ('struct' in type) {
        visit(schema[type.struct], value?.[field.yaml] as Decoded | undefined, [...path, field.yaml]);
      } else if (typeof type.list === 'object' && 'struct' in type.list) {
        const items = (value?.[field.yaml] as Decoded[] | undefined) ?? [];
        const itemDef = schema[type.list.struct];
        items.forEach((item, i) => visit(itemDef, item, [...path, field.yaml, i]));
      }
    }
  };
  visit(schema.Config, config, []);
  return out;
}
