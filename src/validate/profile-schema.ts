/**
 * Structural validation of profile documents against schemas/profile.schema.json (the source of
 * truth for the profile language), with ajv errors turned into located, actionable diagnostics.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import type { DocPath, ParsedDocument } from '../parse/parse-document.ts';
import { closestMatch } from './closest-match.ts';
import { loadGenerated } from '../generated-modules.ts';

export type DocumentKind = 'Cluster' | 'Role' | 'Node';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['Cluster', 'Role', 'Node'];

const SCHEMA_PATH = fileURLToPath(new URL('../../schemas/profile.schema.json', import.meta.url));
let validators: Map<DocumentKind, ValidateFunction> | undefined;

function validatorFor(kind: DocumentKind): ValidateFunction {
  validators ??= precompiledValidators();
  if (!validators) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string };
    // The schema compiler, required only here: the built CLI has the precompiled validators and
    // never loads it.
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    ajv.addSchema(schema);
    validators = new Map(DOCUMENT_KINDS.map((k) => [k, ajv.getSchema(`${schema.$id}#/$defs/${k}`)!]));
  }
  return validators.get(kind)!;
}

/**
 * The validators `npm run build` precompiled into dist/generated (scripts/precompile-schemas.mjs),
 * so that no run compiles the schema; undefined when running from the TypeScript sources.
 */
function precompiledValidators(): Map<DocumentKind, ValidateFunction> | undefined {
  const module = loadGenerated<Record<DocumentKind, ValidateFunction>>('profile-validators.cjs');
  return module && new Map(DOCUMENT_KINDS.map((k) => [k, module[k]]));
}

/**
 * Validates one document of a known kind. A plain scalar that YAML read as a number or boolean
 * where the schema wants a string (`version: 1.10`) takes its literal text instead, so string
 * fields keep exactly what was written.
 */
export function validateDocumentSchema(doc: ParsedDocument, kind: DocumentKind): { value: unknown; diagnostics: Diagnostic[] } {
  const validate = validatorFor(kind);
  let value = doc.value;
  if (!validate(value)) {
    let coerced = false;
    for (const error of validate.errors ?? []) {
      if (error.keyword !== 'type' || !String(error.params.type).includes('string')) continue;
      const path = pointerToPath(error.instancePath);
      const literal = doc.literalAt(path);
      if (literal !== undefined) {
        value = setAt(value, path, literal);
        coerced = true;
      }
    }
    if (!coerced || !validate(value)) {
      return { value, diagnostics: toDiagnostics(doc, kind, validate.errors ?? []) };
    }
  }
  return { value, diagnostics: [] };
}

function toDiagnostics(doc: ParsedDocument, kind: DocumentKind, errors: readonly ErrorObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  let schema: unknown;
  const keysAt = (instancePath: string): string[] => allowedKeys((schema ??= profileSchema()), kind, pointerToPath(instancePath));
  const misspelt = misspeltRequiredKeys(errors, keysAt);
  for (const error of errors) {
    // A required key written with a typo shows once, as the unknown key with its suggestion.
    if (error.keyword === 'required' && misspelt.has(`${error.instancePath}/${String(error.params.missingProperty)}`)) continue;
    const diagnostic = describe(doc, error, keysAt);
    if (!diagnostic) continue;
    const key = `${diagnostic.code}|${diagnostic.location?.line}|${diagnostic.location?.column}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}

/** `<instancePath>/<key>` of each required key that an unknown key beside it is a misspelling of. */
function misspeltRequiredKeys(errors: readonly ErrorObject[], keysAt: (instancePath: string) => string[]): Set<string> {
  const misspelt = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties' && error.keyword !== 'unevaluatedProperties') continue;
    const params = error.params as Record<string, unknown>;
    const suggestion = closestMatch(String(params.additionalProperty ?? params.unevaluatedProperty), keysAt(error.instancePath));
    if (suggestion !== undefined) misspelt.add(`${error.instancePath}/${suggestion}`);
  }
  return misspelt;
}

function describe(doc: ParsedDocument, error: ErrorObject, keysAt: (instancePath: string) => string[]): Diagnostic | undefined {
  const path = pointerToPath(error.instancePath);
  const where = path.length ? `'${path.join('.')}'` : 'the document';
  const make = (code: DiagnosticCode, message: string, hint: string | undefined, at: DocPath, target: 'key' | 'value' = 'value'): Diagnostic => ({
    code,
    severity: 'error',
    message,
    ...(hint ? { hint } : {}),
    location: doc.locate(at, target),
    path: at,
  });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing `then` branch is reported on its own
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const allowed = keysAt(error.instancePath);
      const suggestion = closestMatch(key, allowed);
      return make(
        'schema/unknown-key',
        `unknown key '${key}' in ${where}`,
        suggestion ? `did you mean '${suggestion}'?` : allowed.length ? `allowed keys here: ${allowed.join(', ')}` : undefined,
        [...path, key],
        'key',
      );
    }
    case 'required':
      return make('schema/missing-key', `${where} needs the key '${String(params.missingProperty)}'`, undefined, path);
    case 'type': {
      const expected = String(params.type).replace(',', ' or ');
      const literal = doc.literalAt(path);
      const boolHint =
        expected.includes('boolean') && literal && /^(yes|no|on|off|y|n)$/i.test(literal) ? `write true or false (YAML 1.2 reads '${literal}' as text)` : undefined;
      return make('schema/type', `${where} must be ${article(expected)}`, boolHint, path);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return make('schema/enum', `${where} must be one of: ${allowed.join(', ')}`, enumHint(path, doc.literalAt(path), allowed), path);
    }
    case 'const':
      return make('schema/enum', `${where} must be '${String(params.allowedValue)}'`, undefined, path);
    case 'pattern':
      return make('schema/pattern', `${where} ${patternMeaning(path, String(params.pattern))}`, undefined, path);
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return make('schema/range', `${where} ${error.message ?? 'is out of range'}`, undefined, path);
    case 'minProperties':
    case 'maxProperties':
      return make('schema/range', `${where} ${propertyCountMeaning(path, error)}`, undefined, path);
    case 'not':
      return make('schema/invalid', `${where} ${notMeaning(path, error)}`, undefined, path);
    default:
      return make('schema/invalid', `${where} ${error.message ?? 'is invalid'}`, undefined, path);
  }
}

/** What people write for an OS that kindling names by its first-boot system instead. */
const OS_SPELLINGS: Readonly<Record<string, string>> = {
  ubuntu: 'Ubuntu and Debian are `cloud-init` (kindling names an OS by what configures its first boot)',
  debian: 'Ubuntu and Debian are `cloud-init` (kindling names an OS by what configures its first boot)',
  'fedora-coreos': 'Fedora CoreOS is `fcos`',
  fedora: 'Fedora CoreOS is `fcos`; other Fedora images with cloud-init are `cloud-init`',
  coreos: 'Fedora CoreOS is `fcos`, Flatcar Container Linux is `flatcar`',
  'flatcar-linux': 'Flatcar Container Linux is `flatcar`',
  'container-linux': 'Flatcar Container Linux is `flatcar`',
};

function enumHint(path: DocPath, literal: string | undefined, allowed: readonly string[]): string | undefined {
  if (literal === undefined) return undefined;
  if (path[path.length - 1] === 'os') {
    const known = OS_SPELLINGS[literal.toLowerCase()];
    if (known) return known;
  }
  const suggestion = closestMatch(literal, allowed);
  return suggestion !== undefined ? `did you mean '${suggestion}'?` : undefined;
}

function propertyCountMeaning(path: DocPath, error: ErrorObject): string {
  const last = path[path.length - 1];
  if (last === 'contents') return 'must have exactly one of inline, local or url (url may add sha512)';
  if (error.keyword === 'maxProperties' || error.keyword === 'minProperties') {
    const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
    const keys = Object.keys(parent?.properties ?? {});
    if (keys.length) return `must have exactly one of: ${keys.join(', ')}`;
  }
  return error.message ?? 'has the wrong number of keys';
}

/** The schema's `not: { required: [...] }` blocks: keys that exclude each other. */
function notMeaning(path: DocPath, error: ErrorObject): string {
  if (path[path.length - 2] === 'monitoring' && path[path.length - 1] === 'flannel') return 'may set only one of: listen, textfileDir';
  return error.message ?? 'is invalid';
}

function patternMeaning(path: DocPath, pattern: string): string {
  const last = String(path[path.length - 1] ?? '');
  if (last === 'sha512') return 'must be 128 lower-case hex digits (a sha512 digest)';
  if (last === 'sha256') return 'must be 64 lower-case hex digits (a sha256 digest)';
  if (last === 'version') return 'must look like v1.2.3';
  if (['name', 'owner', 'group'].includes(last) || path.includes('groups')) return 'must be a lower-case POSIX user or group name';
  if (last === 'env') return 'must be an environment variable name';
  if (last === 'listen') return 'must be <IPv4>:<port> or [<IPv6>]:<port>, the port 1 to 65535';
  if (last === 'textfileDir') return 'must be an absolute folder path, without spaces or a final /';
  return `must match ${pattern}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

interface SchemaNode {
  readonly $ref?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly allOf?: readonly SchemaNode[];
}

/**
 * The keys the schema allows in the mapping at `path` of a document of this kind, found by walking
 * the schema along the path (through $ref, allOf and items), so suggestions follow the schema as it
 * grows. Read only when a document has an unknown key: the precompiled validators' errors carry no
 * schema objects, and their schemaPath is relative to whichever definition a $ref entered.
 */
function allowedKeys(schema: unknown, kind: DocumentKind, path: DocPath): string[] {
  const defs = (schema as { $defs: Record<string, SchemaNode> }).$defs;
  const deref = (node: SchemaNode | undefined): SchemaNode | undefined => (node?.$ref ? deref(defs[node.$ref.replace('#/$defs/', '')]) : node);
  const parts = (node: SchemaNode | undefined): SchemaNode[] => {
    const own = deref(node);
    return own ? [own, ...(own.allOf ?? []).flatMap(parts)] : [];
  };
  let nodes = parts(defs[kind]);
  for (const segment of path) {
    nodes = nodes.flatMap((node) => parts(typeof segment === 'number' ? node.items : node.properties?.[segment]));
  }
  return [...new Set(nodes.flatMap((node) => Object.keys(node.properties ?? {})))].sort();
}

function profileSchema(): unknown {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

function setAt(root: unknown, path: DocPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const obj = { ...(root as Record<string, unknown>) };
  obj[head as string] = setAt(obj[head as string], rest, value);
  return obj;
}
