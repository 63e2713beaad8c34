#!/usr/bin/env node
// Precompiles kindling's JSON Schemas into validator modules (ajv "standalone" code), so the CLI
// does not compile them on every start. Runs after tsc in `npm run build` (and so in `npm ci`),
// and scripts/build-cli.mjs puts the same modules beside the command line's bundle.
//
//   node scripts/precompile-schemas.mjs [OUT_DIR]     # default: dist/generated
//
// The modules are CommonJS (.cjs) so the ESM code can load them synchronously with require; the
// TypeScript sources fall back to compiling with ajv when they are absent (tests, tsx).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readSchema = (name) => JSON.parse(readFileSync(join(root, 'schemas', name), 'utf8'));
// Must match the options of src/validate/profile-schema.ts and src/ignition/schema-check.ts.
const OPTIONS = { strict: true, allErrors: true, allowUnionTypes: true, code: { source: true } };

/** The validator modules, file name → source. */
export function precompileSchemas() {
  const modules = new Map();
  const profile = readSchema('profile.schema.json');
  const ajv = new Ajv2020(OPTIONS);
  ajv.addSchema(profile);
  const kinds = Object.fromEntries(['Cluster', 'Role', 'Node'].map((kind) => [kind, `${profile.$id}#/$defs/${kind}`]));
  modules.set('profile-validators.cjs', standaloneCode.default(ajv, kinds));

  for (const version of ['3.3.0', '3.4.0', '3.5.0']) {
    const ajv04 = new AjvDraft04.default(OPTIONS);
    const validate = ajv04.compile(readSchema(`ignition-${version}.schema.json`));
    modules.set(`ignition-${version}.cjs`, standaloneCode.default(ajv04, validate));
  }
  return modules;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = resolve(process.argv[2] ?? join(root, 'dist/generated'));
  mkdirSync(out, { recursive: true });
  for (const [name, code] of precompileSchemas()) writeFileSync(join(out, name), code);
  console.log(`precompiled schemas into ${out}`);
}
