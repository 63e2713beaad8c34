import { describe, expect, it } from 'vitest';
import { parseSimpleFile } from '../../src/parse/simple-documents.ts';
import { parseProfileFile, parseWithYaml, type DocPath, type ParsedDocument } from '../../src/parse/parse-document.ts';
import { random } from '../helpers/random.ts';


const KEYS = ['apiVersion', 'kind', 'name', 'role', 'os', 'ip', 'macs', 'arch', 'interface', 'platform', 'x_y', 'a-b', 'true', 'null', '__proto__', 'k'];
/** Values the simple reader takes (it must agree on them) ... */
const GOOD = [
  'kindling/v1', 'Node', 'node-1', '10.1.0.7', 'v0.28.9', '/opt/bin/flanneld', 'a:b', 'a@b', 'x+y', 'cloud-init', 'worker', 'yes', 'no', 'on', 'Y',
  "'quoted'", "''", '"double"', '""', "'x' # trailing", 'plain # trailing', "['52:54:00:00:00:01']", "['52:54:00:00:00:01', '52:54:00:00:00:02']", '[]', '[ ]',
  '[a, b]', '[ a ,b ]', '[a,b]', '[a] # c', '"[x]"', "'1.10'", '"true"',
];
/** ... and values it must leave to the yaml parser. */
const VALUES = [
  'kindling/v1', 'Node', 'node-1', '10.1.0.7', 'v0.28.9', '/opt/bin/flanneld', 'a:b', 'a@b', 'x+y', 'cloud-init', 'worker',
  '1.10', '0644', '0o644', '0x1F', '08', '1e3', '.5', '-1', '+1', '.inf', '.nan', 'true', 'True', 'false', 'yes', 'no', 'on', 'null', 'Null', '~',
  "'quoted'", "'it''s'", "''", '"double"', '""', '"esc\\n"', '"a" x', "'x' # trailing", 'plain # trailing', 'a:', 'a: b', '-x', '@x', '?x', ':x', '%x', '!x', '&a x', '*a', '!!str 1',
  "['52:54:00:00:00:01']", "['52:54:00:00:00:01', '52:54:00:00:00:02']", '[]', '[ ]', '[a, b]', '[ a ,b ]', '[a,b]', '[1, 2]', '[a:b]', '[a, [b]]', "['a,b']", '[a]x', '[a] # c', '{a: 1}', '[true]', '"[x]"',
];
const LINES = ['# comment', '# yaml-language-server: $schema=../schemas/profile.schema.json', '', '---', '  indented: x', 'key : v', 'key:v', '...', '%YAML 1.2', 'trailing: x ', 'tab:\tx'];

function generate(rnd: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.06) lines.push(LINES[Math.floor(rnd() * LINES.length)]!);
    else {
      const pool = rnd() < 0.85 ? GOOD : VALUES;
      lines.push(`${KEYS[Math.floor(rnd() * KEYS.length)]!}: ${pool[Math.floor(rnd() * pool.length)]!}`);
    }
  }
  return lines.join('\n') + (rnd() < 0.8 ? '\n' : '');
}

/** Every path a validator may ask for in a document, and some that are not there. */
function pathsOf(doc: ParsedDocument): DocPath[] {
  const paths: DocPath[] = [[], ['missing'], ['missing', 0], [0]];
  for (const [key, value] of Object.entries(doc.value as Record<string, unknown>)) {
    paths.push([key], [key, 'x'], [key, 0], [key, 5, 'y']);
    if (Array.isArray(value)) value.forEach((_, i) => paths.push([key, i], [key, i, 'deeper']));
  }
  return paths;
}

function expectSame(text: string): boolean {
  const file = { path: 'nodes/fleet.yaml', text };
  const simple = parseSimpleFile(file);
  if (!simple) return false;
  const full = parseWithYaml(file);
  expect(full.diagnostics, text).toEqual([]);
  expect(simple.map((d) => d.index), text).toEqual(full.documents.map((d) => d.index));
  simple.forEach((doc, i) => {
    const reference = full.documents[i]!;
    expect(doc.value, text).toStrictEqual(reference.value);
    for (const path of pathsOf(reference)) {
      for (const target of ['key', 'value'] as const) expect(doc.locate(path, target), `${text}\n${JSON.stringify(path)} ${target}`).toEqual(reference.locate(path, target));
      expect(doc.literalAt(path), `${text}\n${JSON.stringify(path)}`).toBe(reference.literalAt(path));
    }
  });
  return true;
}

describe('parseSimpleFile', () => {
  it("reads a fleet's node file exactly as the yaml parser does: values, positions, literal texts", () => {
    const docs = Array.from({ length: 50 }, (_, i) =>
      `apiVersion: kindling/v1\nkind: Node\nname: node-${i}\nrole: worker\nos: cloud-init\nip: 10.1.0.${i}\nmacs: ['52:54:00:00:00:${String(i).padStart(2, '0')}']\n`,
    );
    expect(expectSame(`# yaml-language-server: $schema=../../schemas/profile.schema.json\n${docs.join('---\n')}`)).toBe(true);
  });

  it('agrees with the yaml parser on every generated file it accepts, and accepts a good share of them', () => {
    const rnd = random(0x9e3779b9);
    let accepted = 0;
    const total = 6000;
    for (let i = 0; i < total; i++) {
      const text = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => generate(rnd)).join('---\n');
      if (expectSame(text)) accepted++;
    }
    expect(accepted).toBeGreaterThan(total / 10);
    expect(accepted).toBeLessThan(total);
  });

  it('leaves to the yaml parser what it does not read: nesting, numbers, booleans, escapes, duplicates, empty documents', () => {
    for (const text of [
      'a: 1\n', 'a: true\n', 'a: 1.10\n', 'a: 0644\n', 'a: "x\\n"\n', "a: 'it''s'\n", 'a: x\na: y\n', 'a:\n  b: c\n', 'a: [x, [y]]\n', '---\na: x\n', 'a: x\n---\n', 'a: x\n---\n# only a comment\n',
      'a: &x y\n', 'a: !!str y\n', 'a:b\n', 'a: x:\n', '\ufeffa: x\n', 'a: x\r\n', 'a: {b: c}\n',
    ]) {
      expect(parseSimpleFile({ path: 'f.yaml', text }), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('still reports problems through the yaml parser, with their positions', () => {
    const result = parseProfileFile({ path: 'nodes/n.yaml', text: 'name: a\nname: b\n' });
    expect(result.diagnostics).toMatchObject([{ code: 'yaml/duplicate-key', location: { file: 'nodes/n.yaml', line: 2, column: 1 } }]);
  });
});
