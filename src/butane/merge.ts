/**
 * Ignition's parent/child config merge, for the configs Butane generates itself (mount units,
 * boot_device, grub): generated entries are the parent, the user's the child. List entries with
 * the same key merge field by field with the child winning; other child entries follow the
 * parent's. Objects are re-ordered to Go field order afterwards.
 */
import type { CompiledStruct, FieldType, Schema, StructName } from './schema.ts';

type Obj = Record<string, unknown>;

/** The key Ignition merges (and de-duplicates) list entries of a struct by. */
function entryKey(struct: StructName, v: Obj): string | undefined {
  switch (struct) {
    case 'Unit':
    case 'Dropin':
    case 'Luks':
    case 'Raid':
    case 'PasswdUser':
    case 'PasswdGroup':
    case 'HTTPHeader':
      return String(v['name'] ?? '');
    case 'Disk':
    case 'Filesystem':
      return String(v['device'] ?? '');
    case 'File':
    case 'Directory':
    case 'Link':
      return String(v['path'] ?? '');
    case 'Partition':
      return typeof v['number'] === 'number' && v['number'] !== 0 ? `number:${v['number']}` : `label:${String(v['label'] ?? '')}`;
    case 'Tang':
      return String(v['url'] ?? '');
    default:
      return undefined;
  }
}

export interface ListMerge {
  readonly list: unknown[];
  /** New index of each child entry; -1 for one Ignition drops (an earlier entry of a key a later one and a parent entry have). */
  readonly childAt: number[];
  /** For each new index, whether a parent entry is (part of) it. */
  readonly fromParent: boolean[];
  /** For each new index where a parent and a child entry merged: the lists inside them that merged too. */
  readonly inner: ReadonlyMap<number, readonly InnerMerge[]>;
}

/** A list inside merged entries (a disk's partitions), at `path` below the entry, and the two lists that merged. */
interface InnerMerge {
  readonly path: readonly string[];
  readonly merge: ListMerge;
  readonly parent: readonly unknown[];
  readonly child: readonly unknown[];
}

/**
 * As Ignition's merge: a parent entry whose key a child entry has is merged with the last child
 * entry of that key, in the parent's place, and the child's other entries of that key are dropped;
 * the remaining child entries follow in order, duplicates and all (the validator reports those).
 */
export function mergeList(schema: Schema, type: FieldType, parent: readonly unknown[], child: readonly unknown[]): ListMerge {
  const list: unknown[] = [...parent];
  const fromParent = parent.map(() => true);
  const childAt: number[] = [];
  const inner = new Map<number, readonly InnerMerge[]>();
  const struct = typeof type === 'object' && 'struct' in type ? type.struct : undefined;
  const keyOf = (v: unknown): unknown => (struct !== undefined ? entryKey(struct, v as Obj) : v);
  const parentAt = new Map<unknown, number>();
  parent.forEach((p, i) => {
    const k = keyOf(p);
    if (k !== undefined && !parentAt.has(k)) parentAt.set(k, i);
  });
  const lastChildAt = new Map<unknown, number>();
  child.forEach((c, i) => lastChildAt.set(keyOf(c), i));
  child.forEach((c, ci) => {
    const k = keyOf(c);
    const at = k === undefined ? -1 : (parentAt.get(k) ?? -1);
    if (at >= 0 && lastChildAt.get(k) !== ci) {
      childAt.push(-1);
      return;
    }
    if (at >= 0) {
      if (struct !== undefined) {
        const merged = mergeObject(schema, schema[struct], parent[at] as Obj, c as Obj);
        list[at] = merged.out;
        if (merged.inner.length > 0) inner.set(at, merged.inner);
      } else {
        list[at] = c;
      }
      childAt.push(at);
    } else {
      childAt.push(list.length);
      list.push(c);
      fromParent.push(false);
    }
  });
  return { list, childAt, fromParent, inner };
}

/** Child fields win; nested structs and lists merge recursively; keys end in Go order. */
function mergeObject(schema: Schema, def: CompiledStruct, parent: Obj, child: Obj): { out: Obj; inner: InnerMerge[] } {
  const out: Obj = {};
  const inner: InnerMerge[] = [];
  for (const fd of def.fields) {
    if (fd.json === undefined) continue;
    const p = parent[fd.json];
    const c = child[fd.json];
    let v: unknown;
    if (c === undefined) v = p;
    else if (p === undefined) v = c;
    else if (typeof fd.type === 'object' && 'struct' in fd.type) {
      const merged = mergeObject(schema, schema[fd.type.struct], p as Obj, c as Obj);
      v = merged.out;
      for (const below of merged.inner) inner.push({ ...below, path: [fd.json, ...below.path] });
    } else if (typeof fd.type === 'object') {
      const merge = mergeList(schema, fd.type.list, p as unknown[], c as unknown[]);
      v = merge.list;
      inner.push({ path: [fd.json], merge, parent: p as unknown[], child: c as unknown[] });
    } else v = c;
    if (v !== undefined) out[fd.json] = v;
  }
  return { out, inner };
}
