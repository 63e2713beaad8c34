/**
 * Parses one YAML file into documents that remember where every value came from.
 * All YAML problems of a file are reported together (yaml's parser recovers and lists them).
 */
import { LineCounter, parseAllDocuments, isMap, isScalar, isPair, isSeq, type Document, type Node } from 'yaml';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import type { SourceFile } from './source-file.ts';
import { yamlToValue } from './yaml-to-value.ts';
import { parseSimpleFile } from './simple-documents.ts';

export type DocPath = readonly (string | number)[];

export interface ParsedDocument {
  readonly file: SourceFile;
  /** Index of the document within its file (files may hold several, separated by `---`). */
  readonly index: number;
  readonly value: unknown;
  /** Location of the node at `path`; for a missing path, of its nearest existing ancestor. */
  locate(path: DocPath, target?: 'key' | 'value'): SourceLocation;
  /** The literal source text of a plain scalar at `path`, if there is one. */
  literalAt(path: DocPath): string | undefined;
}

export interface ParseResult {
  readonly documents: ParsedDocument[];
  readonly diagnostics: Diagnostic[];
}

export function parseProfileFile(file: SourceFile): ParseResult {
  const simple = parseSimpleFile(file);
  if (simple) return { documents: simple, diagnostics: [] };
  return parseWithYaml(file);
}

/** The full parser, for every file (the simple reader above only takes the simplest ones). */
export function parseWithYaml(file: SourceFile): ParseResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(file.text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file: file.path, line: pos.line, column: pos.col };
  };

  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for input with no documents at all.
    return { documents: [], diagnostics };
  }

  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    let broken = false;
    for (const error of doc.errors) {
      broken = true;
      const duplicate = error.code === 'DUPLICATE_KEY';
      diagnostics.push({
        code: duplicate ? 'yaml/duplicate-key' : 'yaml/syntax',
        severity: 'error',
        message: duplicate ? 'this key appears twice in the same mapping' : firstLine(error.message),
        hint: duplicate ? 'remove or rename one of the two entries; YAML keeps only one of them' : 'fix the YAML syntax at this position',
        location: at(error.pos[0]),
      });
    }
    for (const warning of doc.warnings) {
      diagnostics.push({ code: 'yaml/syntax', severity: 'warning', message: firstLine(warning.message), location: at(warning.pos[0]) });
    }
    if (broken || isEmptyDocument(doc)) return;
    const { value, ambiguous, excessiveAlias, undefinedAliases } = yamlToValue(doc);
    if (excessiveAlias) {
      diagnostics.push({
        code: 'yaml/excessive-aliasing',
        severity: 'error',
        message: `aliases would expand this document far beyond its written size: expanding '*${excessiveAlias.source}' here passes the limit of copied values`,
        hint: 'write the repeated values out, or alias fewer and smaller blocks; nested aliases multiply',
        location: at(excessiveAlias.range?.[0] ?? 0),
      });
      return;
    }
    for (const alias of undefinedAliases) {
      diagnostics.push({
        code: 'yaml/undefined-alias',
        severity: 'error',
        message: `the alias '*${alias.source}' names no anchor: YAML would read it as null`,
        hint: `define '&${alias.source}' on a value before this alias, or write the value itself`,
        location: at(alias.range?.[0] ?? 0),
      });
    }
    if (undefinedAliases.length) return;
    for (const a of ambiguous) {
      diagnostics.push({
        code: 'yaml/ambiguous-number',
        severity: 'error',
        message: `'${a.source}' has a leading zero but is not octal; YAML 1.1 (cloud-init) and YAML 1.2 read it differently`,
        hint: `quote it ('${a.source}') if it is text, or drop the leading zero if it is a decimal number`,
        location: at(a.node.range?.[0] ?? 0),
      });
    }
    documents.push(makeDocument(file, index, doc, value, at));
  });
  return { documents, diagnostics };
}

/**
 * A document with nothing written in it: a leading, doubled or trailing `---`, or one holding only
 * comments. kubectl skips these, and so do we; an explicit `~` or `null` is written, so it stays a
 * document (and is reported as not a mapping).
 */
function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  if (contents === null) return true;
  if (!isScalar(contents) || contents.value !== null || contents.tag !== undefined || contents.anchor !== undefined) return false;
  const range = contents.range;
  return range !== undefined && range !== null && range[0] === range[1];
}

function makeDocument(
  file: SourceFile,
  index: number,
  doc: Document,
  value: unknown,
  at: (offset: number) => SourceLocation,
): ParsedDocument {
  const fallback = at(doc.contents?.range?.[0] ?? 0);
  return {
    file,
    index,
    value,
    locate(path, target = 'value') {
      let node: unknown = doc.contents;
      let location = fallback;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
          if (!pair) return location;
          const keyNode = pair.key as Node;
          location = keyNode.range ? at(keyNode.range[0]) : location;
          node = pair.value;
          if (target === 'value' || segment !== path[path.length - 1]) {
            const valueNode = node as Node | null;
            if (valueNode?.range) location = at(valueNode.range[0]);
          }
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as Node | undefined;
          if (!item) return location;
          node = item;
          if (item.range) location = at(item.range[0]);
        } else {
          return location;
        }
      }
      return location;
    },
    literalAt(path) {
      const node = doc.getIn(path, true);
      return isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;
    },
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
