/**
 * What `kindling explain PATH` shows, read from the profile schema (pure: the schema comes in as a
 * value): a field's type, whether its parent requires it, its default, allowed values, bounds,
 * description, and its own fields. `$ref` and `allOf` are followed, and a list is looked through to
 * the fields of its items, so `role.files.contents.url` names what a user writes.
 */
import { closestMatch } from '../validate/closest-match.ts';

interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly allOf?: readonly SchemaNode[];
  readonly items?: SchemaNode;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly pattern?: string;
}

export interface ProfileSchema extends SchemaNode {
  readonly $defs: Readonly<Record<string, SchemaNode>>;
}

interface FieldSummary {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

export interface Explanation {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
  readonly default?: unknown;
  readonly allowed?: readonly unknown[];
  /** Bounds the schema puts on the value (range, length, pattern), in words. */
  readonly constraints: readonly string[];
  readonly fields: readonly FieldSummary[];
}

const KINDS = ['Cluster', 'Role', 'Node'] as const;

/** The node `$ref` points at (this schema's own `#/$defs/<name>` references only). */
function resolve(schema: ProfileSchema, node: SchemaNode): SchemaNode {
  let current = node;
  while (current.$ref !== undefined) {
    const name = current.$ref.replace(/^#\/\$defs\//, '');
    const target = schema.$defs[name];
    if (target === undefined) throw new Error(`profile schema: unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** A property's own keywords over those of the definition it refers to (a description beside a $ref wins). */
function view(schema: ProfileSchema, node: SchemaNode): SchemaNode {
  const target = resolve(schema, node);
  if (target === node) return node;
  const { $ref: _ref, ...own } = node;
  return { ...target, ...own };
}

/** The fields a value of this schema has: its properties and those of every allOf member, with what each requires. */
function fieldsOf(schema: ProfileSchema, node: SchemaNode): { properties: Map<string, SchemaNode>; required: Set<string> } {
  const properties = new Map<string, SchemaNode>();
  const required = new Set<string>();
  const collect = (raw: SchemaNode): void => {
    const n = view(schema, raw);
    for (const [name, property] of Object.entries(n.properties ?? {})) if (!properties.has(name)) properties.set(name, property);
    for (const name of n.required ?? []) required.add(name);
    for (const member of n.allOf ?? []) collect(member);
  };
  collect(listItem(schema, node));
  return { properties, required };
}

/** What a list holds (lists of lists do not occur); anything else is itself. */
function listItem(schema: ProfileSchema, node: SchemaNode): SchemaNode {
  const n = view(schema, node);
  return n.type === 'array' && n.items !== undefined ? view(schema, n.items) : n;
}

function typeName(schema: ProfileSchema, node: SchemaNode): string {
  const n = view(schema, node);
  if (n.type === 'array') return n.items === undefined ? 'list' : `list of ${typeName(schema, n.items)}`;
  if (Array.isArray(n.type)) return n.type.join(' or ');
  if (typeof n.type === 'string') return n.type;
  const values = n.const !== undefined ? [n.const] : n.enum;
  if (values !== undefined) {
    const kinds = [...new Set(values.map((v) => (typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v)))];
    return kinds.join(' or ');
  }
  if (n.properties !== undefined || n.allOf !== undefined) return 'object';
  return 'any';
}

function constraintsOf(schema: ProfileSchema, node: SchemaNode): string[] {
  const n = view(schema, node);
  const out: string[] = [];
  if (n.minimum !== undefined && n.maximum !== undefined) out.push(`from ${n.minimum} to ${n.maximum}`);
  else if (n.minimum !== undefined) out.push(`at least ${n.minimum}`);
  else if (n.maximum !== undefined) out.push(`at most ${n.maximum}`);
  if (n.maxLength !== undefined) out.push(`${n.minLength ?? 0} to ${n.maxLength} characters`);
  else if (n.minLength !== undefined && n.minLength > 1) out.push(`at least ${n.minLength} characters`);
  if (n.minItems !== undefined) out.push(`at least ${n.minItems} item${n.minItems === 1 ? '' : 's'}`);
  if (n.pattern !== undefined) out.push(`matches ${n.pattern}`);
  return out;
}

function explanation(schema: ProfileSchema, path: string, node: SchemaNode, required: boolean): Explanation {
  const n = view(schema, node);
  const { properties, required: childRequired } = fieldsOf(schema, node);
  const allowed = n.const !== undefined ? [n.const] : n.enum;
  return {
    path,
    type: typeName(schema, node),
    required,
    description: n.description ?? '',
    ...(n.default !== undefined ? { default: n.default } : {}),
    ...(allowed !== undefined ? { allowed } : {}),
    constraints: constraintsOf(schema, node),
    fields: [...properties].map(([name, property]) => ({
      name,
      type: typeName(schema, property),
      required: childRequired.has(name),
      description: view(schema, property).description ?? '',
    })),
  };
}

/** The explanation of `path` (`node.network`, `cluster.flannel.backend.type`), or what is wrong with the path. */
export function explainPath(schema: ProfileSchema, path: string): { explanation: Explanation } | { error: string } {
  const [first = '', ...rest] = path.split('.');
  const kind = KINDS.find((k) => k.toLowerCase() === first.toLowerCase());
  if (kind === undefined) {
    const near = closestMatch(first, KINDS.map((k) => k.toLowerCase()));
    return { error: `no document kind '${first}'${near ? `; did you mean ${near}?` : `; the kinds are ${KINDS.map((k) => k.toLowerCase()).join(', ')}`}` };
  }
  let at = kind.toLowerCase();
  let node: SchemaNode = schema.$defs[kind]!;
  let required = false;
  for (const segment of rest) {
    if (/^[0-9]+$/.test(segment) && view(schema, node).type === 'array') continue;
    const { properties, required: childRequired } = fieldsOf(schema, node);
    const next = properties.get(segment);
    if (next === undefined) {
      if (properties.size === 0) return { error: `${at} is ${article(typeName(schema, node))}; it has no fields` };
      const near = closestMatch(segment, [...properties.keys()]);
      return { error: `${at} has no field '${segment}'; ${near ? `did you mean ${at}.${near}?` : `its fields: ${[...properties.keys()].join(', ')}`}` };
    }
    required = childRequired.has(segment);
    node = next;
    at = `${at}.${segment}`;
  }
  return { explanation: explanation(schema, at, node, required) };
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

const WIDTH = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first sentence of a description, for the one-line summary of a field ("e.g." and "i.e." do not end one). */
function firstSentence(text: string): string {
  for (let i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
    const ends = i === text.length - 1 || /\s/.test(text.charAt(i + 1));
    if (ends && !/(^|\W)(e\.g|i\.e)$/.test(text.slice(0, i))) return text.slice(0, i + 1);
  }
  return text;
}

/** The text `kindling explain` prints. */
export function formatExplanation(e: Explanation): string {
  const out = [`${e.path} (${e.type}${e.required ? ', required' : ''})`, ''];
  if (e.description !== '') out.push(...wrap(e.description, WIDTH), '');
  if (e.allowed !== undefined) out.push(`Allowed: ${e.allowed.map(shown).join(', ')}`);
  if (e.default !== undefined) out.push(`Default: ${shown(e.default)}`);
  for (const constraint of e.constraints) out.push(`Value: ${constraint}`);
  if (e.allowed !== undefined || e.default !== undefined || e.constraints.length > 0) out.push('');
  if (e.fields.length > 0) {
    const nameWidth = Math.max(...e.fields.map((f) => f.name.length));
    const typeWidth = Math.max(...e.fields.map((f) => f.type.length + (f.required ? ', required'.length : 0)));
    out.push('Fields:');
    for (const field of e.fields) {
      const type = `${field.type}${field.required ? ', required' : ''}`;
      out.push(`  ${field.name.padEnd(nameWidth)}  ${type.padEnd(typeWidth)}  ${firstSentence(field.description)}`.trimEnd());
    }
    out.push('');
  }
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}
