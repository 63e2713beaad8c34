/**
 * Reads Butane YAML into a small position-carrying tree.
 *
 * Every scalar is kept as its literal text (failsafe schema): Butane decodes into typed Go
 * structs, so `inline: 0123` must stay "0123" while `mode: 0644` must become 420. Typing
 * happens later, field by field, in decode.ts. Only the first YAML document counts, as with
 * yaml.v3's Decoder. An alias shares its anchor's node (the tree is a graph); a document whose
 * aliases would expand it past yaml.v3's limit is refused as yaml.v3 refuses it, since the
 * translator walks every alias as a copy.
 */
import { parseEvents, getScalarValue, EVENT_ID, SCALAR_STYLE } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { excessiveAliasing } from './alias-limit.ts';
import { BUTANE_ERRORS as E, JS_YAML_BAD_SEQUENCE_INDENT, type ButaneMessage } from './errors.ts';

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

interface YEntry {
  readonly key: string;
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

export type YNode = YScalar | YMap | YSeq;

export type YamlReadResult =
  | { readonly ok: true; readonly root: YNode }
  | { readonly ok: false; readonly said: ButaneMessage };

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);

/**
 * Parses `source` and returns its first document as a YNode tree, or yaml.v3-style error text.
 * Built on js-yaml's flat event stream (offsets, scalar styles), which is several times
 * faster than building a full document model and gives everything Butane's reports need.
 */
export function readYaml(source: string): YamlReadResult {
  let events: Event[];
  try {
    events = parseEvents(source, {});
  } catch (e) {
    return { ok: false, said: yamlV3SyntaxMessage(e, source) };
  }
  return new TreeBuilder(source, events).build();
}

class TreeBuilder {
  private i = 0;
  private readonly lineStarts: number[] = [0];
  private readonly anchors = new Map<string, YNode>();
  /** The expanded size of each anchored node, in values (keys count too, as yaml.v3 counts them). */
  private readonly anchoredSizes = new Map<YNode, number>();
  /** Values of the document once expanded, and how many of them aliases would copy. */
  private values = 0;
  private aliasedValues = 0;
  private duplicate: ButaneMessage | undefined;

  constructor(
    private readonly source: string,
    private readonly events: Event[],
  ) {
    for (let k = source.indexOf('\n'); k >= 0; k = source.indexOf('\n', k + 1)) this.lineStarts.push(k + 1);
  }

  build(): YamlReadResult {
    // Skip to the first document; later documents are ignored, as yaml.v3's Decoder does.
    while (this.i < this.events.length && this.events[this.i]!.type !== EVENT_ID.DOCUMENT) this.i++;
    this.i++;
    const first = this.events[this.i];
    if (first === undefined || first.type === EVENT_ID.POP) return { ok: true, root: emptyMap() };
    const root = this.node();
    if (this.duplicate !== undefined) return { ok: false, said: this.duplicate };
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

  private node(): YNode {
    const e = this.events[this.i++]!;
    const valuesBefore = this.values;
    if (e.type !== EVENT_ID.ALIAS) this.values++;
    let node: YNode;
    if (e.type === EVENT_ID.SCALAR) {
      node = this.scalar(e);
    } else if (e.type === EVENT_ID.MAPPING) {
      const entries: YEntry[] = [];
      const seen = new Map<string, number>();
      while (this.events[this.i]!.type !== EVENT_ID.POP) {
        const keyEvent = this.events[this.i];
        const keyNode = this.node();
        const key = keyNode.kind === 'scalar' ? keyNode.text : '';
        const keyPos = { line: keyNode.line, column: keyNode.column };
        const prev = seen.get(key);
        if (prev !== undefined && this.duplicate === undefined && keyEvent?.type === EVENT_ID.SCALAR) {
          // yaml.v3's wording for a repeated mapping key.
          this.duplicate = E.yamlDuplicateKey.with(keyPos.line, key, prev);
        }
        seen.set(key, keyPos.line);
        entries.push({ key, keyPos, value: this.node() });
      }
      this.i++;
      node = { kind: 'map', entries: applyMergeKeys(entries), ...this.pos(e.start) };
    } else if (e.type === EVENT_ID.SEQUENCE) {
      const items: YNode[] = [];
      while (this.events[this.i]!.type !== EVENT_ID.POP) items.push(this.node());
      this.i++;
      node = { kind: 'seq', items, ...this.pos(e.start) };
    } else if (e.type === EVENT_ID.ALIAS) {
      const name = this.source.slice(e.anchorStart, e.anchorEnd);
      const target = this.anchors.get(name);
      const size = target === undefined ? 1 : this.anchoredSizes.get(target) ?? 1;
      this.values += size;
      this.aliasedValues += size;
      return target ?? { kind: 'scalar', text: '', plain: true, isNull: true, ...this.pos(e.anchorStart) };
    } else {
      return { kind: 'scalar', text: '', plain: true, isNull: true, line: 1, column: 1 };
    }
    const anchor = this.anchorName(e);
    if (anchor !== undefined) {
      this.anchors.set(anchor, node);
      this.anchoredSizes.set(node, this.values - valuesBefore);
    }
    return node;
  }

  private scalar(e: ScalarEvent): YScalar {
    const text = e.fast ? this.source.slice(e.valueStart, e.valueEnd) : getScalarValue(this.source, e);
    const plain = e.style === SCALAR_STYLE.PLAIN && e.tagStart < 0;
    const tag = e.tagStart >= 0 ? this.source.slice(e.tagStart, e.tagEnd) : '';
    // yaml.v3 places a scalar at its first character: the quote, or the block indicator.
    let offset = e.valueStart;
    if (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED) offset -= 1;
    else if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
      offset = blockIndicatorOffset(this.source, e.valueStart);
    }
    return {
      kind: 'scalar',
      text,
      plain,
      isNull: tag === '!!null' || (plain && NULL_WORDS.has(text)),
      ...this.pos(Math.max(offset, 0)),
    };
  }
}

/**
 * YAML merge keys (`<<: *defaults`), which yaml.v3 honours when decoding: keys from the merged
 * mapping(s) fill in what the mapping does not set itself.
 */
function applyMergeKeys(entries: YEntry[]): YEntry[] {
  if (!entries.some((en) => en.key === '<<')) return entries;
  const own = entries.filter((en) => en.key !== '<<');
  const have = new Set(own.map((en) => en.key));
  for (const merge of entries.filter((en) => en.key === '<<')) {
    const sources = merge.value.kind === 'seq' ? merge.value.items : [merge.value];
    for (const src of sources) {
      if (src.kind !== 'map') continue;
      for (const en of src.entries) {
        if (have.has(en.key)) continue;
        have.add(en.key);
        own.push(en);
      }
    }
  }
  return own;
}

const BLOCK_HEADER = /[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/** Offset of the `|` or `>` that starts the block scalar whose content begins at `contentStart`. */
function blockIndicatorOffset(source: string, contentStart: number): number {
  // The header is the last line that ends before the content (content starts on a new line).
  const headerEnd = source.lastIndexOf('\n', contentStart - 1);
  const searchEnd = headerEnd >= 0 && headerEnd < contentStart ? headerEnd : contentStart;
  const headerStart = source.lastIndexOf('\n', searchEnd - 1) + 1;
  const header = source.slice(headerStart, searchEnd);
  const m = BLOCK_HEADER.exec(header);
  return m ? headerStart + m.index : contentStart;
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
