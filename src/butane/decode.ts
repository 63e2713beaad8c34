/**
 * Decodes the YAML tree into plain objects keyed by Butane's YAML names, the way yaml.v3 fills
 * Butane's Go structs: each scalar is resolved as yaml.v3 resolves it (yaml-resolve.ts), then
 * stored as the field's Go type takes it: a string field keeps the literal text, an int field
 * takes an integer or a float (truncated), a bool field takes a bool or a YAML 1.1 word. Merge
 * keys fill what a mapping does not set, aliases are followed, a null list item is dropped, and
 * a mapping's duplicate keys are errors, all only where yaml.v3 decodes. Type mismatches are
 * yaml.v3's "cannot unmarshal" errors; its fatal problems (a tag that does not fit, an anchor
 * that contains itself) stop decoding. Unknown keys are found on the tree (unused-keys.ts).
 */
import { typeMismatchLine, YAML_V3_PROBLEMS } from './errors.ts';
import type { CompiledStruct, FieldType, Schema } from './schema.ts';
import type { GoPackages } from './variants.ts';
import { isMergeKey, type YAlias, type YNode } from './yaml-tree.ts';
import { resolveScalar, YamlDecodeError, type Resolved } from './yaml-resolve.ts';

export type Decoded = Record<string, unknown>;

export type DecodeResult =
  | {
      readonly value: Decoded;
      /** yaml.v3 type errors, already formatted as `line N: cannot unmarshal ...`. */
      readonly typeErrors: string[];
      readonly fatal?: undefined;
    }
  | { readonly fatal: string };

const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const INT64_MAX_AS_FLOAT = 2 ** 63;

/** What yaml.v3 decodes a value as; `undefined` value with ok = false: not stored (a null, a mismatch). */
type Stored = { readonly ok: boolean; readonly value?: unknown };
const NOT_STORED: Stored = Object.freeze({ ok: false });

class Decoder {
  readonly typeErrors: string[] = [];
  /** Alias nodes being decoded: meeting one again is a cycle, yaml.v3's "contains itself". */
  private readonly aliasesInUse = new Set<YAlias>();

  constructor(
    readonly schema: Schema,
    readonly goPackages: GoPackages,
  ) {}

  /** `v1_6.BootDevice`, `v0_6.Cex`: a struct's Go type as yaml.v3 prints it. */
  goType(def: CompiledStruct): string {
    return `${this.goPackages[def.goPackage]}.${def.name}`;
  }

  goTypeName(type: FieldType): string {
    if (typeof type === 'string') return type;
    if ('struct' in type) return this.goType(this.schema[type.struct]);
    return `[]${this.goTypeName(type.list)}`;
  }

  /** Follows an alias as yaml.v3's d.alias does, refusing a cycle. */
  private viaAlias<T>(node: YAlias, decode: (target: YNode) => T): T {
    if (this.aliasesInUse.has(node)) throw new YamlDecodeError(YAML_V3_PROBLEMS.containsItself(node.name));
    const target = node.anchor.node;
    if (target === undefined) throw new YamlDecodeError(YAML_V3_PROBLEMS.containsItself(node.name));
    this.aliasesInUse.add(node);
    try {
      return decode(target);
    } finally {
      this.aliasesInUse.delete(node);
    }
  }

  /** Decodes a mapping into `out` (a struct), yaml.v3's mappingStruct with its merge rules. */
  struct(def: CompiledStruct, node: YNode, out: Decoded, merged?: Set<string>): boolean {
    if (node.kind === 'alias') return this.viaAlias(node, (t) => this.struct(def, t, out, merged));
    if (node.kind === 'scalar' && node.tag !== '') resolveScalar(node.tag, node.text);
    if (node.kind !== 'map') {
      if (node.kind === 'scalar' && node.isNull) return false;
      this.mismatch(node, this.goType(def));
      return false;
    }
    if (!this.uniqueKeys(node)) return false;
    let mergeValue: YNode | undefined;
    for (const entry of node.entries) {
      if (isMergeKey(entry)) {
        mergeValue = entry.value;
        continue;
      }
      const name = this.keyName(entry.keyNode);
      if (name === undefined) continue;
      if (merged !== undefined) {
        if (merged.has(name)) continue;
        merged.add(name);
      }
      const field = def.byYaml.get(name);
      if (field === undefined) continue;
      const stored = this.value(field.type, entry.value);
      if (stored.ok && stored.value !== undefined) out[name] = stored.value;
      else if (stored.ok) delete out[name];
    }
    if (mergeValue !== undefined) this.merge(def, node, mergeValue, out, merged);
    return true;
  }

  private merge(def: CompiledStruct, parent: YNode & { kind: 'map' }, merge: YNode, out: Decoded, outer: Set<string> | undefined): void {
    const merged = outer ?? new Set(parent.entries.map((e) => this.keyName(e.keyNode)).filter((k): k is string => k !== undefined));
    const wantMap = (n: YNode): void => {
      const target = n.kind === 'alias' ? n.anchor.node : n;
      if (target !== undefined && target.kind !== 'map') throw new YamlDecodeError(YAML_V3_PROBLEMS.mergeWantsMap);
    };
    if (merge.kind === 'seq') {
      for (const item of merge.items) {
        wantMap(item);
        this.struct(def, item, out, merged);
      }
    } else if (merge.kind === 'map' || merge.kind === 'alias') {
      wantMap(merge);
      this.struct(def, merge, out, merged);
    } else {
      throw new YamlDecodeError(YAML_V3_PROBLEMS.mergeWantsMap);
    }
  }

  /** A key as a Go string: a null key is not one (yaml.v3 skips it). */
  private keyName(key: YNode): string | undefined {
    const k = key.kind === 'alias' ? key.anchor.node : key;
    if (k === undefined || k.kind !== 'scalar') return undefined;
    if (k.isNull) return undefined;
    return k.text;
  }

  /** yaml.v3 checks the keys of each mapping it decodes: a repeat is an error and the mapping is not decoded. */
  private uniqueKeys(node: YNode & { kind: 'map' }): boolean {
    const before = this.typeErrors.length;
    const e = node.entries;
    for (let i = 0; i < e.length; i++) {
      for (let j = i + 1; j < e.length; j++) {
        const a = e[i]!.keyNode;
        const b = e[j]!.keyNode;
        if (a.kind === b.kind && keyValue(a) === keyValue(b)) {
          this.typeErrors.push(YAML_V3_PROBLEMS.duplicateKey(b.line, goQuote(keyValue(b)), a.line));
        }
      }
    }
    return this.typeErrors.length === before;
  }

  value(type: FieldType, node: YNode): Stored {
    if (node.kind === 'alias') return this.viaAlias(node, (t) => this.value(type, t));
    // yaml.v3 resolves a scalar before it looks at the field: a tag that does not fit fails first.
    if (node.kind === 'scalar' && node.tag !== '') resolveScalar(node.tag, node.text);
    if (typeof type === 'object' && 'struct' in type) {
      if (node.kind === 'scalar' && node.isNull) return NOT_STORED;
      const out: Decoded = {};
      return this.struct(this.schema[type.struct], node, out) ? { ok: true, value: out } : NOT_STORED;
    }
    if (typeof type === 'object') {
      if (node.kind === 'scalar' && node.isNull) return { ok: true, value: undefined };
      if (node.kind !== 'seq') {
        this.mismatch(node, `[]${this.goTypeName(type.list)}`);
        return NOT_STORED;
      }
      // yaml.v3 keeps only the items it could store: a null item (or a mismatch) is dropped.
      const items: unknown[] = [];
      for (const item of node.items) {
        const v = this.value(type.list, item);
        if (v.ok && v.value !== undefined) items.push(v.value);
      }
      return { ok: true, value: items };
    }
    if (node.kind !== 'scalar') {
      this.mismatch(node, type);
      return NOT_STORED;
    }
    let resolved: Resolved;
    if (node.tag === '!!str' || (node.tag === '' && node.quoted)) resolved = { tag: '!!str', value: node.text };
    else resolved = resolveScalar(node.tag, node.text);
    if (resolved.tag === '!!null') return NOT_STORED;
    if (type === 'string') {
      if (resolved.tag === '!!binary') return { ok: true, value: decodeBinary(node.text) };
      return { ok: true, value: node.text };
    }
    if (type === 'int') {
      if (resolved.tag === '!!int' && 'uint' in resolved && (!resolved.uint || resolved.value < 2n ** 63n)) return { ok: true, value: Number(resolved.value) };
      if (resolved.tag === '!!float' && typeof resolved.value === 'number' && resolved.value < INT64_MAX_AS_FLOAT) {
        return { ok: true, value: resolved.value === -Infinity ? -(2 ** 63) : Math.trunc(resolved.value) };
      }
      this.mismatch(node, 'int');
      return NOT_STORED;
    }
    if (resolved.tag === '!!bool') return { ok: true, value: resolved.value };
    if (typeof resolved.value === 'string' && !['!!timestamp', '!!merge'].includes(resolved.tag)) {
      if (YAML11_TRUE.has(resolved.value)) return { ok: true, value: true };
      if (YAML11_FALSE.has(resolved.value)) return { ok: true, value: false };
    }
    this.mismatch(node, 'bool');
    return NOT_STORED;
  }

  mismatch(node: YNode, goType: string): void {
    let shown = '';
    if (node.kind === 'scalar') {
      const bytes = Buffer.from(node.text, 'utf8');
      shown = bytes.length > 10 ? ` \`${bytes.subarray(0, 7).toString('utf8')}...\`` : ` \`${node.text}\``;
    }
    this.typeErrors.push(typeMismatchLine(node.line, yamlTag(node), shown, goType));
  }
}

function keyValue(key: YNode): string {
  if (key.kind === 'scalar') return key.text;
  if (key.kind === 'alias') return key.name;
  return '';
}

/** Go's %#v of a string (printable ASCII as is, the rest escaped like Go's strconv.Quote). */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

function decodeBinary(text: string): string {
  const clean = text.replace(/[\s]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new YamlDecodeError(YAML_V3_PROBLEMS.badBinary);
  return Buffer.from(clean, 'base64').toString('latin1');
}

/** The tag yaml.v3 names in its messages for a node: the explicit tag, !!str for a quoted scalar, or what it resolves to. */
function yamlTag(node: YNode): string {
  if (node.kind === 'map') return '!!map';
  if (node.kind === 'seq') return '!!seq';
  if (node.kind === 'alias') return '!!str';
  if (node.tag !== '') return node.tag;
  if (node.quoted) return '!!str';
  return resolveScalar('', node.text).tag;
}

/**
 * Decodes the whole document against the Config struct of `schema`; a yaml.v3 failure
 * (YamlDecodeError) stops decoding and is returned as `fatal` text.
 */
export function decodeConfig(root: YNode, schema: Schema, goPackages: GoPackages): DecodeResult {
  const d = new Decoder(schema, goPackages);
  const value: Decoded = {};
  try {
    d.struct(schema.Config, root, value);
  } catch (e) {
    if (e instanceof YamlDecodeError) return { fatal: e.message };
    throw e;
  }
  return { value, typeErrors: d.typeErrors };
}

/** Butane's config.commonFields: the first pass reads only these two, to choose a translator. */
const COMMON_FIELDS_FIELDS = Object.freeze([
  Object.freeze({ yaml: 'version', type: 'string', out: 'ptr' } as const),
  Object.freeze({ yaml: 'variant', type: 'string', out: 'ptr' } as const),
]);
const COMMON_FIELDS = Object.freeze({
  name: 'commonFields',
  goPackage: 'base',
  fields: COMMON_FIELDS_FIELDS,
  byYaml: new Map(COMMON_FIELDS_FIELDS.map((f) => [f.yaml, f])),
}) as unknown as CompiledStruct;

/** The first pass: variant and version as yaml.v3 decodes them (aliases, merges, types), or why not. */
export function decodeVersionFields(root: YNode): DecodeResult {
  const d = new Decoder({} as Schema, { base: 'config', variant: 'config' });
  const value: Decoded = {};
  try {
    d.struct(COMMON_FIELDS, root, value);
  } catch (e) {
    if (e instanceof YamlDecodeError) return { fatal: e.message };
    throw e;
  }
  return { value, typeErrors: d.typeErrors };
}
