/**
 * A value's whole content as key text: two values get the same key exactly when they hold the same
 * fields (in the same order) with the same values, so a key never has to list fields by hand and a
 * new field can never be left out of one. Long texts and bytes appear as a short number from the
 * build context (textId): nodes usually share the very same string object, whose hash V8 keeps,
 * so this lookup is cheap where hashing a key that embeds the text would copy it again per node.
 */
import { contextTable, type BuildContext } from '../build/build-context.ts';

/** Texts longer than this appear in keys by number. */
const LONG_TEXT = 48;

interface TextIds {
  readonly ids: Map<string, number>;
  /** Never reused, even after a clear: an old key must not come to mean a different text. */
  next: number;
}

const TEXT_IDS = contextTable<TextIds>('text ids', () => ({ ids: new Map(), next: 0 }));
const MAX_TEXT_IDS = 100_000;

function textId(context: BuildContext, text: string): number {
  const table = context.table(TEXT_IDS);
  let id = table.ids.get(text);
  if (id === undefined) {
    if (table.ids.size >= MAX_TEXT_IDS) table.ids.clear();
    table.ids.set(text, (id = table.next++));
  }
  return id;
}

/** The key text of any plain value (strings, numbers, booleans, null, undefined, bytes, lists, records). */
export function contentKey(context: BuildContext, value: unknown): string {
  if (typeof value === 'string') return value.length > LONG_TEXT ? `#${textId(context, value)}` : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? `${value}n` : String(value);
  if (ArrayBuffer.isView(value)) return `b${textId(context, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'))}`;
  if (Array.isArray(value)) {
    let out = '[';
    for (const item of value) out += `${contentKey(context, item)},`;
    return `${out}]`;
  }
  let out = '{';
  for (const [k, v] of Object.entries(value)) out += `${JSON.stringify(k)}:${contentKey(context, v)},`;
  return `${out}}`;
}
