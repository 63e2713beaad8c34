/**
 * Reads Butane YAML into a small position-carrying tree.
 *
 * Every scalar is kept as its literal text with its style and explicit tag: Butane decodes into
 * typed Go structs, so `inline: 0123` must stay "0123" while `mode: 0644` must become 420.
 * Typing happens later, field by field, in decode.ts, which also applies merge keys and checks
 * duplicate keys (yaml.v3 does both only for the mappings it decodes). Only the first YAML
 * document counts, as with yaml.v3's Unmarshal. The tree is yaml.v3's node tree: an alias is a
 * node of its own that names its anchor's node, so report positions and unused-key checks see
 * the alias (as Butane's context tree does) while decoding follows it; a document whose aliases
 * would expand it past yaml.v3's limit is refused as yaml.v3 refuses it.
 */
import { parseEvents, getScalarValue, EVENT_ID, SCALAR_STYLE } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { excessiveAliasing } from './alias-limit.ts';
import { resolveScalar, shortTag, YamlDecodeError } from './yaml-resolve.ts';
import { BUTANE_ERRORS as E, JS_YAML_BAD_SEQUENCE_INDENT, YAML_V3_PROBLEMS, type ButaneMessage } from './errors.ts';

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface YScalar extends Position {
  readonly kind: 'scalar';
  readonly text: string;
  /** A plain (unquoted, non-block) scalar without a tag: only these can mean null, a bool or a number unasked. */
  readonly plain: boolean;
  /** The explicit tag in yaml.v3's short form (`!!int`, `!local`), '' when none. */
  readonly tag: string;
  /** Quoted or block: yaml.v3 reads it as a string into any field unless a tag says otherwise. */
  readonly quoted: boolean;
  readonly isNull: boolean;
}

interface YEntry {
  readonly key: string;
  /** The key node (its kind and text decide duplicates and merge keys). */
  readonly keyNode: YNode;
  readonly keyPos: Position;
  readonly value: YNode;
}

interface YMap extends Position {
  readonly kind: 'map';
  readonly entries: readonly YEntry[];
}

interface YSeq extends Position {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
}

/** `*name`: the node of the anchor, once its node is complete (an alias inside its own anchor sees it later). */
export interface YAlias extends Position {
  readonly kind: 'alias';
  readonly name: string;
  readonly anchor: { node?: YNode };
}

export type YNode = YScalar | YMap | YSeq | YAlias;

/** The node an alias names (aliases of aliases followed); other nodes as they are. */
function deref(node: YNode): YNode {
  let n: YNode | undefined = node;
  for (let hops = 0; n?.kind === 'alias' && hops < 100; hops++) n = n.anchor.node;
  return n ?? node;
}

/** A merge key (`<<`, plain or tagged !!merge), which yaml.v3 applies when it decodes the mapping. */
export function isMergeKey(entry: YEntry): boolean {
  const k = entry.keyNode;
  return k.kind === 'scalar' && k.text === '<<' && (k.tag === '!!merge' || (k.tag === '' && !k.quoted));
}

export type YamlReadResult =
  | { readonly ok: true; readonly root: YNode }
  | { readonly ok: false; readonly said: ButaneMessage };

/**
 * Parses `source` and returns its first document as a YNode tree, or yaml.v3-style error text.
 * Built on js-yaml's flat event stream (offsets, scalar styles), which is several times
 * faster than building a full document model and gives everything Butane's reports need.
 */
export function readYaml(source: string): YamlReadResult {
  const directive = versionDirectiveProblem(source);
  if (directive !== undefined) return { ok: false, said: directive };
  const first = firstDocument(source);
  let events: Event[];
  try {
    events = parseEvents(first, {});
  } catch (e) {
    return { ok: false, said: yamlV3SyntaxMessage(e, first) };
  }
  try {
    return new TreeBuilder(first, events).build();
  } catch (e) {
    if (e instanceof YamlDecodeError) return { ok: false, said: E.yamlUnmarshal.with(e.message) };
    throw e;
  }
}

const DIRECTIVE = /^%YAML[ \t]+(\d+)\.(\d+)/;

/** yaml.v3 reads YAML 1.1 documents only: a %YAML directive naming another version is an error. */
function versionDirectiveProblem(source: string): ButaneMessage | undefined {
  const lines = source.split('\n');
  let seen = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.startsWith('%')) {
      const m = DIRECTIVE.exec(line);
      if (m === null) continue;
      // yaml.v3 places parser errors at the 0-based line and leaves out "line 0".
      const where = i === 0 ? '' : `line ${i}: `;
      if (seen) return E.yamlUnmarshal.with(where + YAML_V3_PROBLEMS.duplicateDirective);
      seen = true;
      if (m[1] !== '1' || m[2] !== '1') return E.yamlUnmarshal.with(where + YAML_V3_PROBLEMS.incompatibleDocument);
      continue;
    }
    if (line.trim() === '' || line.startsWith('#')) continue;
    break;
  }
  return undefined;
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/m;

/**
 * The text of the first document: yaml.v3's Unmarshal parses no further, so a later document
 * cannot make the input invalid. A document starts after its `---` and ends at the next marker.
 */
function firstDocument(source: string): string {
  let from = 0;
  let inDocument = false;
  for (;;) {
    const m = DOCUMENT_MARKER.exec(source.slice(from));
    if (m === null) return source;
    const at = from + m.index;
    if (inDocument || hasContent(source.slice(from, at))) return source.slice(0, at);
    const eol = source.indexOf('\n', at);
    if (m[0] === '---') {
      inDocument = true;
      // Content on the marker's own line (`--- |`) belongs to the document.
      if (eol < 0) return source;
    } else if (eol < 0) return source;
    from = eol + 1;
  }
}

function hasContent(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.replace(/^\uFEFF/, '').trim();
    return t !== '' && !t.startsWith('#') && !t.startsWith('%');
  });
}

class TreeBuilder {
  private i = 0;
  private readonly lineStarts: number[] = [0];
  /** Anchors by name: yaml.v3 registers an anchor when its node starts, so an alias inside it sees it. */
  private readonly anchors = new Map<string, { node?: YNode }>();
  /** The expanded size of each anchored node, in values (keys count too, as yaml.v3 counts them). */
  private readonly anchoredSizes = new Map<{ node?: YNode }, number>();
  /** Values of the document once expanded, and how many of them aliases would copy. */
  private values = 0;
  private aliasedValues = 0;
  /** Where the last event read ends: an empty value sits just after the next `-` or `:` from there. */
  private lastEnd = 0;

  constructor(
    private readonly source: string,
    private readonly events: Event[],
  ) {
    for (let k = source.indexOf('\n'); k >= 0; k = source.indexOf('\n', k + 1)) this.lineStarts.push(k + 1);
  }

  build(): YamlReadResult {
    // Skip to the first document; later documents are ignored, as yaml.v3's Unmarshal does.
    while (this.i < this.events.length && this.events[this.i]!.type !== EVENT_ID.DOCUMENT) this.i++;
    this.i++;
    const first = this.events[this.i];
    if (first === undefined || first.type === EVENT_ID.POP) return { ok: true, root: emptyMap() };
    const root = this.node();
    if (excessiveAliasing(this.values, this.aliasedValues)) return { ok: false, said: E.yamlExcessiveAliasing };
    return { ok: true, root };
  }

  private pos(offset: number): Position {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  private anchorName(e: { anchorStart: number; anchorEnd: number }): string | undefined {
    return e.anchorStart >= 0 ? this.source.slice(e.anchorStart, e.anchorEnd) : undefined;
  }

  /** yaml.v3 places a node with an anchor or a tag at the first of them (`&name`, `!tag`). */
  private propertiesStart(e: { anchorStart: number; tagStart: number }, fallback: number): number {
    let at = fallback;
    if (e.anchorStart > 0 && e.anchorStart - 1 < at) at = e.anchorStart - 1;
    if (e.tagStart >= 0 && e.tagStart < at) at = e.tagStart;
    return at;
  }

  private node(): YNode {
    const e = this.events[this.i++]!;
    if (e.type === EVENT_ID.ALIAS) {
      const name = this.source.slice(e.anchorStart, e.anchorEnd);
      const anchor = this.anchors.get(name);
      if (anchor === undefined) throw new YamlDecodeError(YAML_V3_PROBLEMS.unknownAnchor(name));
      this.lastEnd = e.anchorEnd;
      const size = this.anchoredSizes.get(anchor) ?? 1;
      this.values += size;
      this.aliasedValues += size;
      return { kind: 'alias', name, anchor, ...this.pos(Math.max(e.anchorStart - 1, 0)) };
    }
    if (e.type !== EVENT_ID.SCALAR && e.type !== EVENT_ID.MAPPING && e.type !== EVENT_ID.SEQUENCE) {
      return { kind: 'scalar', text: '', plain: true, tag: '', quoted: false, isNull: true, line: 1, column: 1 };
    }
    const valuesBefore = this.values;
    this.values++;
    const name = this.anchorName(e);
    const anchor: { node?: YNode } = {};
    if (name !== undefined) this.anchors.set(name, anchor);
    let node: YNode;
    if (e.type === EVENT_ID.SCALAR) {
      node = this.scalar(e);
    } else if (e.type === EVENT_ID.MAPPING) {
      this.lastEnd = e.start;
      const entries: YEntry[] = [];
      while (this.events[this.i]!.type !== EVENT_ID.POP) {
        const keyNode = this.node();
        const key = keyNode.kind === 'scalar' ? keyNode.text : keyNode.kind === 'alias' ? aliasKeyText(keyNode) : '';
        entries.push({ key, keyNode, keyPos: { line: keyNode.line, column: keyNode.column }, value: this.node() });
      }
      this.i++;
      node = { kind: 'map', entries, ...this.pos(this.propertiesStart(e, e.start)) };
    } else {
      this.lastEnd = e.start;
      const items: YNode[] = [];
      while (this.events[this.i]!.type !== EVENT_ID.POP) items.push(this.node());
      this.i++;
      node = { kind: 'seq', items, ...this.pos(this.propertiesStart(e, e.start)) };
    }
    if (name !== undefined) {
      anchor.node = node;
      this.anchoredSizes.set(anchor, this.values - valuesBefore);
    }
    return node;
  }

  private scalar(e: ScalarEvent): YScalar {
    let text = e.fast ? this.source.slice(e.valueStart, e.valueEnd) : getScalarValue(this.source, e);
    const block = e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK;
    // A block scalar whose last line ends the input without a line break has no final break to
    // keep (yaml.v3); js-yaml adds one.
    if (block && e.valueEnd === this.source.length && !this.source.endsWith('\n') && text.endsWith('\n')) text = text.slice(0, -1);
    const tag = e.tagStart >= 0 ? shortTag(this.source.slice(e.tagStart, e.tagEnd)) : '';
    const quoted = e.style !== SCALAR_STYLE.PLAIN;
    // yaml.v3 places a scalar at its first character: the quote, or the block indicator; an
    // empty one just after the `-` or `:` that introduces it.
    let offset = e.valueStart < 0 ? emptyValueOffset(this.source, this.lastEnd) : e.valueStart;
    if (e.valueEnd >= 0) this.lastEnd = e.valueEnd;
    if (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED) offset -= 1;
    else if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
      offset = blockIndicatorOffset(this.source, e.valueStart);
    }
    return {
      kind: 'scalar',
      text,
      plain: !quoted && tag === '',
      tag,
      quoted,
      isNull: resolvesToNull(tag, quoted, text),
      ...this.pos(this.propertiesStart(e, Math.max(offset, 0))),
    };
  }
}

/** Whether yaml.v3 reads the scalar as null (a null field is left unset); a misfit tag is not null. */
function resolvesToNull(tag: string, quoted: boolean, text: string): boolean {
  if (tag === '' ? quoted : tag === '!!str') return false;
  try {
    return resolveScalar(tag, text).tag === '!!null';
  } catch {
    return false;
  }
}

/** Just past the first `-` or `:` indicator (followed by a blank or the end) at or after `from`. */
function emptyValueOffset(source: string, from: number): number {
  const m = /[-:](?=[\s]|$)/g;
  m.lastIndex = from;
  const hit = m.exec(source);
  return hit === null ? from : hit.index + 1;
}

/** An alias used as a key stands for its anchor's text when that is a scalar. */
function aliasKeyText(alias: YAlias): string {
  const target = deref(alias);
  return target.kind === 'scalar' ? target.text : '';
}

/** A block scalar's header line (its line break may be CRLF). */
const BLOCK_HEADER = /[|>][-+0-9]*[ \t]*(?:#[^\r]*)?\r?$/;

/** Offset of the `|` or `>` that starts the block scalar whose content begins at `contentStart`. */
function blockIndicatorOffset(source: string, contentStart: number): number {
  // The header is on the content's own line when the scalar is empty (nothing follows the
  // indicator), else on the line before the content.
  let lineEnd = contentStart;
  for (let tries = 0; tries < 2; tries++) {
    const lineStart = source.lastIndexOf('\n', lineEnd - 1) + 1;
    const m = BLOCK_HEADER.exec(source.slice(lineStart, lineEnd));
    if (m) return lineStart + m.index;
    if (lineStart === 0) break;
    lineEnd = lineStart - 1;
  }
  return contentStart;
}

function emptyMap(): YMap {
  return { kind: 'map', entries: [], line: 1, column: 1 };
}

/**
 * Turns a js-yaml error into the text yaml.v3 (Butane's parser) prints, as closely as the two
 * parsers allow: `yaml: line N: <problem>`. yaml.v3 reports parser errors at the 0-based line
 * of the enclosing collection, which we reproduce for the common case.
 */
function yamlV3SyntaxMessage(err: unknown, source: string): ButaneMessage {
  const e = err as { reason?: string; message?: string; mark?: { line?: number } };
  const reason = e.reason ?? String(e.message ?? err);
  const line = (e.mark?.line ?? 0) + 1;
  if (reason.startsWith(JS_YAML_BAD_SEQUENCE_INDENT)) return E.yamlSequenceIndicator.with(sequenceStartLine(source, line) - 1);
  return E.yamlSyntax.with(line, reason);
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
