/**
 * The structural half of validateIgnition: schemas/ignition-<version>.schema.json (draft-04)
 * compiled once per process with ajv-draft-04, and its errors turned into issues at the
 * offending path. Unknown keys become warnings ("Unused key x"), as Ignition reports them.
 */
import { createRequire } from 'node:module';
import type { default as AjvDraft04, ErrorObject, ValidateFunction } from 'ajv-draft-04';
import type { IgnitionIssue, IgnitionSpecVersion } from './validate.ts';
import { IGNITION_ERRORS as E, type IgnitionCode, type IgnitionMessage } from './errors.ts';

// The schemas ship beside src/ and dist/ at the same depth. Loading them through the module
// system (once, lazily) keeps this stage free of explicit file I/O.
const requireSchema = createRequire(import.meta.url);
const compiled = new Map<IgnitionSpecVersion, ValidateFunction>();

function validatorFor(version: IgnitionSpecVersion): ValidateFunction {
  let validate = compiled.get(version);
  if (!validate) validate = precompiled(version);
  if (!validate) {
    const schema = requireSchema(`../../schemas/ignition-${version}.schema.json`) as object;
    // The schema compiler, required only here: the built CLI has the precompiled validators and
    // never loads it.
    const Ajv = (requireSchema('ajv-draft-04') as typeof AjvDraft04).default;
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    validate = ajv.compile(schema);
    compiled.set(version, validate);
  }
  return validate;
}

/**
 * The validator `npm run build` precompiled into generated/ beside this folder (dist/generated,
 * bundle/generated; scripts/precompile-schemas.mjs), which spares compiling the schema on every
 * start; undefined when running from the TypeScript sources, which have none.
 */
function precompiled(version: IgnitionSpecVersion): ValidateFunction | undefined {
  let validate: ValidateFunction;
  try {
    validate = requireSchema(`../generated/ignition-${version}.cjs`) as ValidateFunction;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  compiled.set(version, validate);
  return validate;
}

/** JSON pointer → path, with array indices as numbers (looked up in the data, not guessed). */
function toPath(pointer: string, data: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = data;
  if (pointer === '') return path;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(seg);
      path.push(i);
      node = node[i];
    } else {
      path.push(seg);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  let node: unknown = data;
  for (const seg of path) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  return node;
}

function issue(severity: IgnitionIssue['severity'], said: IgnitionMessage<IgnitionCode>, path: (string | number)[]): IgnitionIssue {
  return { code: said.code, severity, message: said.message, path };
}

function toIssue(error: ErrorObject, data: unknown): IgnitionIssue {
  const path = toPath(error.instancePath, data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      return issue('warning', E.unusedKey.with(key), [...path, key]);
    }
    case 'required': {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      return issue('error', E.keyRequired.with(key), [...path, key]);
    }
    case 'type': {
      const wanted = ([] as string[]).concat((error.params as { type: string | string[] }).type).filter((t) => t !== 'null');
      const got = jsonType(valueAt(data, path));
      return issue('error', E.wrongType.with(wanted.join(' or '), got), path);
    }
    default:
      return issue('error', E.schemaViolation.with(error.keyword, error.message), path);
  }
}

export function checkSchema(config: unknown, version: IgnitionSpecVersion): IgnitionIssue[] {
  const validate = validatorFor(version);
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => toIssue(e, config));
}
