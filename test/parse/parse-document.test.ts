import { describe, expect, it } from 'vitest';
import { parseProfileFile } from '../../src/parse/parse-document.ts';

const parse = (text: string) => parseProfileFile({ path: 'p.yaml', text });

describe('parseProfileFile', () => {
  it('reads a leading-zero mode as octal, as cloud-init does', () => {
    const { documents, diagnostics } = parse('mode: 0644\nother: 0o755\nplain: 644\n');
    expect(diagnostics).toEqual([]);
    expect(documents[0]?.value).toEqual({ mode: 0o644, other: 0o755, plain: 644 });
  });

  it('reports a leading-zero number that is not octal instead of guessing', () => {
    const { diagnostics } = parse('a: 1\nport: 0089\n');
    expect(diagnostics).toMatchObject([{ code: 'yaml/ambiguous-number', location: { file: 'p.yaml', line: 2, column: 7 } }]);
  });

  it('keeps yes and no as text (YAML 1.2) and remembers the literal text of plain scalars', () => {
    const { documents } = parse('enabled: yes\nversion: 1.10\n');
    expect(documents[0]?.value).toEqual({ enabled: 'yes', version: 1.1 });
    expect(documents[0]?.literalAt(['version'])).toBe('1.10');
  });

  it('reports every duplicate key and syntax error of a file', () => {
    const { diagnostics } = parse('a: 1\na: 2\n---\nb: [1, 2\n');
    expect(diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['yaml/duplicate-key', 2],
      ['yaml/syntax', 5],
    ]);
  });

  it('locates nested values, keys, and list items', () => {
    const { documents } = parse('nodes:\n  - name: a\n    macs: [x, y]\n');
    const doc = documents[0]!;
    expect(doc.locate(['nodes', 0, 'macs', 1])).toEqual({ file: 'p.yaml', line: 3, column: 15 });
    expect(doc.locate(['nodes', 0, 'macs'], 'key')).toEqual({ file: 'p.yaml', line: 3, column: 5 });
    expect(doc.locate(['nodes', 0, 'missing'])).toEqual({ file: 'p.yaml', line: 2, column: 5 });
  });

  it('keeps every document of a multi-document file', () => {
    expect(parse('a: 1\n---\nb: 2\n').documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('ignores empty documents (a leading, doubled or trailing ---, or one holding only comments), as kubectl does', () => {
    const { documents, diagnostics } = parse('---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n---\n');
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps a document that is an explicit null (~), which is not empty but written', () => {
    expect(parse('a: 1\n---\n~\n').documents.map((d) => d.value)).toEqual([{ a: 1 }, null]);
  });

  it('does not let a __proto__ key change an object prototype', () => {
    const value = parse('__proto__: { polluted: true }\n').documents[0]?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
