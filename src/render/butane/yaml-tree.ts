/**
 * Reads Butane YAML into a small position-carrying tree.
 *
 * Every scalar is kept as its literal text (failsafe schema): Butane decodes into typed Go
 * structs, so `inline: 0123` must stay "0123" while `mode: 0644` must become 420. Typing
 * happens later, field by field, in decode.ts. Only the first YAML document counts, as with
 * yaml.v3's Decoder.
 */
import { LineCounter, Parser, Composer, isMap, isSeq, isScalar, isAlias, Scalar } from 'yaml';
import type { Node as YamlNode, Document } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface YScalar extends Position {
  readonly kind: 'scalar';
  readonly text: string;
  /** A plain (unquoted, non-block) scalar: only these can mean null, a bool or a number. */
  readonly plain: boolean;
  readonly isNull: boolean;
}

export interface YEntry {
  readonly key: string;
  readonly keyPos: Position;
  readonly value: YNode;
}

export interface YMap extends Position {
  readonly kind: 'map';
  readonly entries: readonly YEntry[];
}

export interface YSeq extends Position {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
}

export type YNode = YScalar | YMap | YSeq;

export type YamlReadResult =
  | { readonly ok: true; readonly root: YNode }
  | { readonly ok: false; readonly message: string };

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);

/** Parses `source` and returns its first document as a YNode tree, or yaml.v3-style error text. */
export function readYaml(source: string): YamlReadResult {
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ schema: 'failsafe', uniqueKeys: false, strict: false });
  let first: Document.Parsed | undefined;
  for (const doc of composer.compose(parser.parse(source), true, source.length)) {
    if (first === undefined) first = doc;
  }
  if (first === undefined) return { ok: true, root: emptyMap() };
  const err = first.errors[0];
  if (err !== undefined) return { ok: false, message: yamlV3SyntaxMessage(err, source, lineCounter) };
  if (first.contents === null) return { ok: true, root: emptyMap() };
  const dup = { message: undefined as string | undefined };
  const root = convert(first.contents, lineCounter, dup);
  if (dup.message !== undefined) return { ok: false, message: dup.message };
  return { ok: true, root };
}

function emptyMap(): YMap {
  return { kind: 'map', entries: [], line: 1, column: 1 };
}

function posOf(node: YamlNode, lc: LineCounter): Position {
  const offset = node.range?.[0] ?? 0;
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

function convert(node: YamlNode | null, lc: LineCounter, dup: { message: string | undefined }): YNode {
  if (node === null) return { kind: 'scalar', text: '', plain: true, isNull: true, line: 1, column: 1 };
  if (isAlias(node)) {
    // Aliases are rare in Butane configs; resolve to the anchored node when possible.
    const pos = posOf(node, lc);
    return { kind: 'scalar', text: node.source, plain: true, isNull: false, ...pos };
  }
  if (isMap(node)) {
    const entries: YEntry[] = [];
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = keyNode !== null && isScalar(keyNode) ? String(keyNode.value) : '';
      const keyPos = keyNode !== null ? posOf(keyNode, lc) : posOf(node, lc);
      const prev = seen.get(key);
      if (prev !== undefined && dup.message === undefined) {
        // yaml.v3's wording for a repeated mapping key.
        dup.message = `yaml: unmarshal errors:\n  line ${keyPos.line}: mapping key "${key}" already defined at line ${prev}`;
      }
      seen.set(key, keyPos.line);
      const valueNode = pair.value as YamlNode | null;
      const value =
        valueNode === null
          ? ({ kind: 'scalar', text: '', plain: true, isNull: true, ...keyPos } as YScalar)
          : convert(valueNode, lc, dup);
      entries.push({ key, keyPos, value });
    }
    return { kind: 'map', entries, ...posOf(node, lc) };
  }
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(item as YamlNode | null, lc, dup));
    return { kind: 'seq', items, ...posOf(node, lc) };
  }
  const scalar = node as Scalar;
  const text = typeof scalar.value === 'string' ? scalar.value : String(scalar.value ?? '');
  const plain = scalar.type === Scalar.PLAIN || scalar.type === undefined;
  const explicitNull = scalar.tag === 'tag:yaml.org,2002:null';
  return {
    kind: 'scalar',
    text,
    plain,
    isNull: explicitNull || (plain && NULL_WORDS.has(text)),
    ...posOf(scalar, lc),
  };
}

/**
 * Turns a `yaml` library error into the text yaml.v3 (Butane's parser) prints, as closely as
 * the two parsers allow: `yaml: line N: <problem>`. yaml.v3 reports parser errors at the
 * 0-based line of the enclosing collection, which we reproduce for the common case.
 */
function yamlV3SyntaxMessage(
  err: { code: string; message: string; pos: [number, number] },
  source: string,
  lc: LineCounter,
): string {
  const { line } = lc.linePos(err.pos[0]);
  if (err.code === 'MISSING_CHAR' && err.message.startsWith('Sequence item without')) {
    return `Error unmarshaling yaml: yaml: line ${sequenceStartLine(source, line) - 1}: did not find expected '-' indicator`;
  }
  const first = err.message.split('\n')[0] ?? err.message;
  const problem = first.replace(/ at line \d+, column \d+:?$/, '');
  return `Error unmarshaling yaml: yaml: line ${line}: ${problem}`;
}

/** 1-based line where the block sequence enclosing `line` starts. */
function sequenceStartLine(source: string, line: number): number {
  const lines = source.split('\n');
  let i = Math.min(line - 1, lines.length - 1);
  // Find the nearest item line above the error.
  while (i >= 0 && !/^\s*- /.test(lines[i] ?? '')) i--;
  if (i < 0) return line;
  const indent = (lines[i] ?? '').search(/\S/);
  let start = i;
  for (let j = i - 1; j >= 0; j--) {
    const text = lines[j] ?? '';
    const ind = text.search(/\S/);
    if (ind < 0) continue;
    if (ind < indent) break;
    if (ind === indent && !text.slice(ind).startsWith('- ')) break;
    if (ind === indent) start = j;
  }
  return start + 1;
}
