/**
 * Every property of the profile schema says what it is: `kindling explain` and editors (through
 * yaml-language-server) show these descriptions, so a property without one is a gap in the docs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/project.ts';

type Schema = { [key: string]: unknown };

/** Every property schema, named by where it sits; `if` and `not` conditions are skipped (they name a property to test it, they define none). */
function propertiesOf(node: unknown, path: string, out: [string, Schema][]): [string, Schema][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  const schema = node as Schema;
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    out.push([`${path}.${name}`, property]);
    propertiesOf(property, `${path}.${name}`, out);
  }
  for (const key of ['items', 'additionalProperties', 'then', 'else']) propertiesOf(schema[key], `${path}[${key}]`, out);
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    ((schema[key] ?? []) as unknown[]).forEach((sub, i) => propertiesOf(sub, `${path}[${key}${i}]`, out));
  }
  return out;
}

describe('schemas/profile.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(REPO, 'schemas/profile.schema.json'), 'utf8')) as Schema & { $defs: Record<string, Schema> };
  const { $defs, ...root } = schema;
  const properties = [...propertiesOf(root, '#', []), ...Object.entries($defs).flatMap(([name, def]) => propertiesOf(def, name, []))];

  it('has a description on every property', () => {
    expect(properties.length).toBeGreaterThan(150);
    const undescribed = properties.filter(([, p]) => typeof p.description !== 'string' || p.description.trim().length < 10).map(([path]) => path);
    expect(undescribed).toEqual([]);
  });

  it('has a description on every definition an explanation can reach through $ref', () => {
    const undescribed = Object.entries($defs)
      .filter(([, def]) => typeof def.description !== 'string' && (def.properties !== undefined || def.allOf !== undefined))
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });
});
