/**
 * A fast reader for the simplest profile files: the shape a large fleet's node files take.
 *
 * Parsing with `yaml` (a full YAML 1.2 parser that keeps every node's position) is most of what
 * `kindling validate` does on a large fleet, one node document after another. A file whose every document is a flat
 * mapping of `key: value` lines, where each value is a plain word that YAML can only read as a
 * string, a simple quoted string, or a flow list of those, is read here directly, with the same
 * values, positions and literal texts. Anything else (nesting, numbers, booleans, anchors, tags,
 * escapes, tabs, CR, directives, a duplicate key, empty documents) makes the whole file go through
 * `yaml` instead, so every problem is still reported by the one real parser.
 *
 * test/parse/simple-documents.test.ts compares this reader with the `yaml` path on generated files.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { DocPath, ParsedDocument } from './parse-document.ts';
import type { SourceFile } from './source-file.ts';

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** A plain word in block context: no spaces, no indicator first, no ':' last. */
const BLOCK_WORD = /^[A-Za-z0-9_/](?:[A-Za-z0-9_./@+:-]*[A-Za-z0-9_./@+-])?$/;
/** A plain word inside a flow list: also no ':' (the flow rules for it differ). */
const FLOW_WORD = /^[A-Za-z0-9_/][A-Za-z0-9_./@+-]*$/;
/** YAML 1.2 core schema: words that read as null, a boolean or a number rather than a string. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const SINGLE_QUOTED = /^'([^'\n]*)'/;
const DOUBLE_QUOTED = /^"([^"\\\n]*)"/;
const REST_OK = /^(?:[ ]+#.*)?$/;

interface Scalar {
  readonly kind: 'scalar';
  readonly value: string;
  readonly plain: boolean;
  readonly at: SourceLocation;
}

interface List {
  readonly kind: 'list';
  readonly items: readonly Scalar[];
  readonly at: SourceLocation;
}

interface Entry {
  readonly key: string;
  readonly keyAt: SourceLocation;
  readonly value: Scalar | List;
}

/** The documents of `file`, or undefined when any part of it is outside the simple shape. */
export function parseSimpleFile(file: SourceFile): ParsedDocument[] | undefined {
  const text = file.text;
  if (text.includes('\r') || text.includes('\t')) return undefined;
  const lines = text.split('\n');
  const documents: ParsedDocument[] = [];
  let entries: Entry[] = [];
  let keys = new Set<string>();
  const close = (): boolean => {
    if (entries.length === 0) return false;
    documents.push(makeDocument(file, documents.length, entries));
    entries = [];
    keys = new Set();
    return true;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNo = index + 1;
    if (line === '' || line.startsWith('#')) continue;
    if (line === '---') {
      if (!close()) return undefined;
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon <= 0) return undefined;
    const key = line.slice(0, colon);
    if (!KEY.test(key) || NOT_A_STRING.test(key) || keys.has(key)) return undefined;
    let start = colon + 2;
    while (line[start] === ' ') start++;
    const value = readValue(line, start, lineNo, file.path);
    if (!value) return undefined;
    keys.add(key);
    entries.push({ key, keyAt: { file: file.path, line: lineNo, column: 1 }, value });
  }
  if (!close()) return undefined;
  return documents;
}

function readValue(line: string, start: number, lineNo: number, path: string): Scalar | List | undefined {
  const at = (offset: number): SourceLocation => ({ file: path, line: lineNo, column: offset + 1 });
  if (line[start] === '[') {
    const end = line.indexOf(']', start);
    if (end < 0 || !REST_OK.test(line.slice(end + 1))) return undefined;
    const items: Scalar[] = [];
    const inner = line.slice(start + 1, end);
    if (inner.trim() !== '') {
      let offset = start + 1;
      for (const raw of inner.split(',')) {
        const lead = raw.length - raw.trimStart().length;
        const word = raw.trim();
        const item = readScalar(word, FLOW_WORD, at(offset + lead));
        if (!item || item.length !== word.length) return undefined;
        items.push(item.scalar);
        offset += raw.length + 1;
      }
    }
    return { kind: 'list', items, at: at(start) };
  }
  const rest = line.slice(start);
  const token = rest[0] === "'" || rest[0] === '"' ? rest : rest.split(' ')[0]!;
  const read = readScalar(token, BLOCK_WORD, at(start));
  if (!read || !REST_OK.test(rest.slice(read.length))) return undefined;
  return read.scalar;
}

/** A scalar at the start of `text`: its value and how many characters it took. */
function readScalar(text: string, word: RegExp, at: SourceLocation): { scalar: Scalar; length: number } | undefined {
  const quoted = SINGLE_QUOTED.exec(text) ?? DOUBLE_QUOTED.exec(text);
  if (quoted) return { scalar: { kind: 'scalar', value: quoted[1]!, plain: false, at }, length: quoted[0].length };
  if (!word.test(text) || NOT_A_STRING.test(text)) return undefined;
  return { scalar: { kind: 'scalar', value: text, plain: true, at }, length: text.length };
}

function makeDocument(file: SourceFile, index: number, entries: readonly Entry[]): ParsedDocument {
  const value: Record<string, unknown> = {};
  for (const entry of entries) {
    const v = entry.value.kind === 'list' ? entry.value.items.map((i) => i.value) : entry.value.value;
    Object.defineProperty(value, entry.key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  const fallback = entries[0]!.keyAt;
  const find = (key: string | number): Entry | undefined => entries.find((e) => e.key === String(key));
  return {
    file,
    index,
    value,
    // The same walk as the `yaml` path: the key's position, then the value's unless the key itself
    // was asked for; a path that leaves the document stops at the last position found.
    locate(path: DocPath, target: 'key' | 'value' = 'value'): SourceLocation {
      if (path.length === 0) return fallback;
      const entry = find(path[0]!);
      if (!entry) return fallback;
      if (path.length === 1) return target === 'key' ? entry.keyAt : entry.value.at;
      const node = entry.value;
      if (node.kind !== 'list' || typeof path[1] !== 'number') return node.at;
      const item = node.items[path[1]];
      return item ? item.at : node.at;
    },
    literalAt(path: DocPath): string | undefined {
      const entry = path.length > 0 ? find(path[0]!) : undefined;
      if (!entry) return undefined;
      const node = path.length === 1 ? entry.value : path.length === 2 && entry.value.kind === 'list' && typeof path[1] === 'number' ? entry.value.items[path[1]] : undefined;
      return node?.kind === 'scalar' && node.plain ? node.value : undefined;
    },
  };
}
