/**
 * The YAML text of a Butane document (config.bu), written directly. kindling owns the document's
 * shape — mappings with fixed keys, lists of mappings, strings, booleans and file modes — so its
 * layout is written here, in the block style js-yaml writes (two-space indents, lists indented
 * under their key, a list item's first key on the dash's line). Only a string's style needs
 * care: the common ones are decided here (a plain word or path, a literal block through
 * ../literal-block.ts), and anything else is js-yaml's choice for that one scalar, so every string
 * is quoted exactly as js-yaml would quote it and reads back as the same string.
 * test/render/node-butane/butane-yaml.test.ts checks both against js-yaml on generated documents.
 */
import type { DumpOptions } from 'js-yaml';
import { dumpYaml } from '../dump-yaml.ts';
import { literalBlock } from '../literal-block.ts';
import { BuildContext, contextTable } from '../../build/build-context.ts';

/**
 * Strings js-yaml writes unquoted: a letter, `_` or `/` first (no indicator, digit, sign or dot,
 * so never a number, date, `.inf`, `---` or an alias), then only characters that mean nothing in
 * a plain scalar, with single spaces between words (no `: `, ` #`, leading or trailing space).
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_/.@+=,%-]*(?: [A-Za-z0-9_/.@+=,%-]+)*$/;
/** Plain words that YAML (1.1 for the booleans) reads as a boolean or null: js-yaml quotes them. */
const TYPED_WORD = /^(?:[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
/** No folding of long lines (a line of text stays one line), no anchors. */
const DUMP_OPTIONS: DumpOptions = Object.freeze({ lineWidth: -1, noRefs: true });

/** The text of every item made once per build and shared by nodes, by indent width. */
const ITEM_TEXTS = contextTable('Butane item texts', () => new WeakMap<object, Map<number, string>>());

/** config.bu's body (without its header comment) for a Butane document of plain data. */
export function butaneYaml(document: Record<string, unknown>, context = new BuildContext()): string {
  return mapping(context, document, 0);
}

function mapping(context: BuildContext, map: object, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    if (isBlockList(value)) {
      out += `${pad}${key}:\n`;
      for (const item of value) out += listItem(context, item, indent + 2);
    } else if (isBlockMapping(value)) {
      out += `${pad}${key}:\n${mapping(context, value, indent + 2)}`;
    } else {
      out += `${pad}${key}: ${key === 'mode' && isMode(value) ? octal(value) : scalar(value, indent, false)}\n`;
    }
  }
  return out;
}

/** `- item` at `indent`; a shared item's text is made once per build and indent. */
function listItem(context: BuildContext, item: unknown, indent: number): string {
  if (item === null || typeof item !== 'object' || !context.isShared(item)) return listItemText(context, item, indent);
  const table = context.table(ITEM_TEXTS);
  let byIndent = table.get(item);
  if (!byIndent) table.set(item, (byIndent = new Map()));
  let text = byIndent.get(indent);
  if (text === undefined) byIndent.set(indent, (text = listItemText(context, item, indent)));
  return text;
}

function listItemText(context: BuildContext, item: unknown, indent: number): string {
  const dash = `${' '.repeat(indent)}- `;
  // The item's own lines sit two columns right of the dash; the first one starts on its line.
  if (isBlockMapping(item)) return dash + mapping(context, item, indent + 2).slice(indent + 2);
  if (isBlockList(item)) {
    let inner = '';
    for (const nested of item) inner += listItem(context, nested, indent + 2);
    return dash + inner.slice(indent + 2);
  }
  return `${dash}${scalar(item, indent, true)}\n`;
}

/**
 * A scalar's text after `key: ` (or `- `) whose key (or dash) sits at `indent` columns; a block
 * scalar's lines are indented two columns further. No final line break.
 */
function scalar(value: unknown, indent: number, inList: boolean): string {
  if (typeof value === 'string') {
    if (PLAIN.test(value) && !TYPED_WORD.test(value)) return value;
    const block = inList ? undefined : literalBlock(value, indent);
    if (block !== undefined) return block;
  } else if (typeof value === 'boolean') {
    return String(value);
  } else if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) {
    return String(value);
  }
  return dumpedScalar(value, indent, inList);
}

/**
 * js-yaml's text for one scalar (or empty list or mapping), dumped alone as `v: value` (or
 * `- value`), whose block lines sit two columns right of the key, and moved to `indent`.
 */
function dumpedScalar(value: unknown, indent: number, inList: boolean): string {
  let text = inList ? dumpYaml([value], DUMP_OPTIONS) : dumpYaml({ v: value }, DUMP_OPTIONS);
  // js-yaml ends a document whose last scalar keeps its trailing blank lines with `...`; here the
  // scalar is not the end of config.bu, where that marker would end the document early.
  if (text.endsWith('\n...\n')) text = text.slice(0, -4);
  const body = text.slice(inList ? 2 : 3, -1);
  return indent === 0 ? body : body.replace(/\n(?=[^\n])/g, `\n${' '.repeat(indent)}`);
}

/** File and directory modes in octal (`mode: 0644`), the way people read them; Butane accepts them. */
function isMode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o7777;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

function isBlockList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function isBlockMapping(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
