/**
 * Decodes the YAML tree into plain objects keyed by Butane's YAML names, the way yaml.v3 fills
 * Butane's Go structs: scalars into string fields keep their literal text, int fields accept
 * Go's base-0 syntax (0644 octal, 0o, 0x, 0b, underscores), bool fields accept YAML 1.1 words.
 * Unknown keys become "unused key" warnings; type mismatches become yaml.v3's fatal
 * "cannot unmarshal" errors.
 */
import { typeMismatchLine } from './errors.ts';
import type { CompiledStruct, FieldType, Schema } from './schema.ts';
import type { GoPackages } from './variants.ts';
import type { YNode, YScalar, Position } from './yaml-tree.ts';
import type { ReportPath } from './report.ts';

export type Decoded = Record<string, unknown>;

interface UnusedKey {
  readonly path: ReportPath;
  readonly key: string;
  readonly pos: Position;
}

export interface DecodeResult {
  readonly value: Decoded;
  readonly unused: UnusedKey[];
  /** yaml.v3 type errors, already formatted as `line N: cannot unmarshal ...`. */
  readonly typeErrors: string[];
}

const GO_INT = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/;
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const CORE_BOOLS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

class Decoder {
  readonly unused: UnusedKey[] = [];
  readonly typeErrors: string[] = [];
  constructor(
    readonly schema: Schema,
    readonly goPackages: GoPackages,
  ) {}

  /** `v1_6.BootDevice`, `v0_6.Cex`: a struct's Go type as yaml.v3 prints it. */
  goType(def: CompiledStruct): string {
    return `${this.goPackages[def.goPackage]}.${def.name}`;
  }

  struct(def: CompiledStruct, node: YNode, path: ReportPath): Decoded {
    const out: Decoded = {};
    if (node.kind !== 'map') {
      if (!(node.kind === 'scalar' && node.isNull)) this.mismatch(node, this.goType(def));
      return out;
    }
    for (const entry of node.entries) {
      const field = def.byYaml.get(entry.key);
      if (field === undefined) {
        this.unused.push({ path: [...path, entry.key], key: entry.key, pos: entry.keyPos });
        continue;
      }
      const value = this.value(field.type, entry.value, typeof field.type === 'string' ? path : [...path, entry.key]);
      if (value !== undefined) out[entry.key] = value;
    }
    return out;
  }

  value(type: FieldType, node: YNode, path: ReportPath): unknown {
    if (node.kind === 'scalar' && node.isNull) return undefined;
    if (typeof type === 'object' && 'struct' in type) return this.struct(this.schema[type.struct], node, path);
    if (typeof type === 'object') {
      if (node.kind !== 'seq') {
        this.mismatch(node, `[]${this.goTypeName(type.list)}`);
        return undefined;
      }
      return node.items.map((item, i) => {
        const v = this.value(type.list, item, [...path, i]);
        return v ?? zeroOf(type.list);
      });
    }
    if (node.kind !== 'scalar') {
      this.mismatch(node, type);
      return undefined;
    }
    if (type === 'string') return node.text;
    if (type === 'int') {
      const n = node.plain ? parseGoInt(node.text) : undefined;
      if (n === undefined) this.mismatch(node, 'int');
      return n;
    }
    // bool: YAML 1.2 core words when plain; YAML 1.1 words even when quoted, as yaml.v3 does
    // for typed bools (so a quoted "true" is, oddly, an error there too).
    if (node.plain && CORE_BOOLS.has(node.text)) return node.text[0] === 't' || node.text[0] === 'T';
    if (YAML11_TRUE.has(node.text)) return true;
    if (YAML11_FALSE.has(node.text)) return false;
    this.mismatch(node, 'bool');
    return undefined;
  }

  goTypeName(type: FieldType): string {
    if (typeof type === 'string') return type;
    if ('struct' in type) return this.goType(this.schema[type.struct]);
    return `[]${this.goTypeName(type.list)}`;
  }

  mismatch(node: YNode, goType: string): void {
    let shown = '';
    if (node.kind === 'scalar') {
      shown = node.text.length > 10 ? ` \`${node.text.slice(0, 7)}...\`` : ` \`${node.text}\``;
    }
    this.typeErrors.push(typeMismatchLine(node.line, yamlTag(node), shown, goType));
  }
}

function zeroOf(type: FieldType): unknown {
  if (type === 'string') return '';
  if (type === 'int') return 0;
  if (type === 'bool') return false;
  if ('struct' in type) return {};
  return [];
}


/** The short tag yaml.v3 names in its messages for a node. */
function yamlTag(node: YNode): string {
  if (node.kind === 'map') return '!!map';
  if (node.kind === 'seq') return '!!seq';
  return scalarTag(node);
}

function scalarTag(node: YScalar): string {
  if (!node.plain) return '!!str';
  if (node.isNull) return '!!null';
  if (CORE_BOOLS.has(node.text)) return '!!bool';
  if (GO_INT.test(node.text.replace(/_/g, ''))) return '!!int';
  if (GO_FLOAT.test(node.text.replace(/_/g, ''))) return '!!float';
  return '!!str';
}

/** strconv.ParseInt(s, 0, 64) after yaml.v3 strips underscores. */
function parseGoInt(text: string): number | undefined {
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  if (!GO_INT.test(plain)) return undefined;
  let sign = 1;
  let body = plain;
  if (body[0] === '+' || body[0] === '-') {
    if (body[0] === '-') sign = -1;
    body = body.slice(1);
  }
  let n: number;
  const p = body.slice(0, 2).toLowerCase();
  if (p === '0x') n = parseInt(body.slice(2), 16);
  else if (p === '0o') n = parseInt(body.slice(2), 8);
  else if (p === '0b') n = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') n = parseInt(body.slice(1), 8);
  else n = parseInt(body, 10);
  return sign * n;
}

/** Decodes the whole document against the Config struct of `schema`. */
export function decodeConfig(root: YNode, schema: Schema, goPackages: GoPackages): DecodeResult {
  const d = new Decoder(schema, goPackages);
  const value = d.struct(schema.Config, root, []);
  return { value, unused: d.unused, typeErrors: d.typeErrors };
}
