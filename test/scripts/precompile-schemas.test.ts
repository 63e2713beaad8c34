import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import { parse } from 'yaml';
import { REPO } from '../helpers/project.ts';
import { IGNITION_SPEC_VERSIONS } from '../../src/ignition/spec-versions.ts';

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const OPTIONS = { strict: true, allErrors: true, allowUnionTypes: true };
const schema = (name: string): { $id?: string } => JSON.parse(readFileSync(join(REPO, 'schemas', name), 'utf8')) as { $id?: string };

/** What the validator says of `data`: its verdict and its errors, comparable across implementations. */
function verdict(validate: Validate, data: unknown): unknown {
  const ok = validate(data);
  return { ok, errors: validate.errors ?? null };
}

describe('scripts/precompile-schemas.mjs', () => {
  // Inside the repository, so the generated code resolves ajv's runtime from node_modules.
  mkdirSync(join(REPO, '.cache'), { recursive: true });
  const out = mkdtempSync(join(REPO, '.cache', 'generated-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  execFileSync(process.execPath, [join(REPO, 'scripts/precompile-schemas.mjs'), out], { encoding: 'utf8' });
  const load = createRequire(join(out, 'x.js'));

  it('writes profile validators that judge documents exactly as ajv compiling the schema does', () => {
    const generated = load('./profile-validators.cjs') as Record<'Cluster' | 'Role' | 'Node', Validate>;
    const profile = schema('profile.schema.json');
    const ajv = new Ajv2020(OPTIONS);
    ajv.addSchema(profile);
    const documents: [kind: 'Cluster' | 'Role' | 'Node', data: unknown][] = [
      ['Cluster', parse(readFileSync(join(REPO, 'profiles/cluster.yaml'), 'utf8'))],
      ['Role', parse(readFileSync(join(REPO, 'profiles/roles/worker.yaml'), 'utf8'))],
      ...readFileSync(join(REPO, 'profiles/nodes/nodes.yaml'), 'utf8').split(/^---$/m).map((d) => ['Node', parse(d)] as ['Node', unknown]),
      ['Node', { apiVersion: 'kindling/v1', kind: 'Node', name: 'x', os: 'windows', extra: 1 }],
      ['Role', { apiVersion: 'kindling/v1', kind: 'Role', name: '', units: [{ name: 3 }] }],
      ['Cluster', { kind: 'Cluster' }],
    ];
    let invalid = 0;
    for (const [kind, data] of documents) {
      const compiled = ajv.getSchema(`${profile.$id}#/$defs/${kind}`) as Validate;
      const expected = verdict(compiled, data);
      expect(verdict(generated[kind], data), kind).toEqual(expected);
      if (!(expected as { ok: boolean }).ok) invalid++;
    }
    expect(invalid).toBe(3);
  });

  it('writes a validator for every Ignition spec version kindling knows that agrees with ajv on valid and invalid configs', () => {
    const configs = [
      { ignition: { version: '3.3.0' }, storage: { files: [{ path: '/etc/x', mode: 420, contents: { source: 'data:,x' } }] } },
      { ignition: { version: 3 }, storage: { files: [{ path: 7 }] }, unknown: true },
      { ignition: { version: '3.5.0' }, storage: { luks: [{ name: 'root', device: '/dev/dasda2', cex: { enabled: true } }] } },
    ];
    expect(IGNITION_SPEC_VERSIONS).toEqual(['3.3.0', '3.4.0', '3.5.0']);
    for (const version of IGNITION_SPEC_VERSIONS) {
      const generated = load(`./ignition-${version}.cjs`) as Validate;
      const compiled = new AjvDraft04.default(OPTIONS).compile(schema(`ignition-${version}.schema.json`)) as Validate;
      for (const config of configs) expect(verdict(generated, config), version).toEqual(verdict(compiled, config));
      expect(generated(configs[1])).toBe(false);
    }
  });
});
