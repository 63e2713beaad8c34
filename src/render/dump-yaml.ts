/**
 * js-yaml's `dump` for values that may hold strings of megabytes: files embedded in a config.
 *
 * js-yaml picks each string's style by matching it against YAML's plain-scalar grammar with a
 * regular expression that recurses once per character, which overflows the stack for a string of
 * a few megabytes. Strings longer than LARGE are swapped for short markers before dumping and
 * written back after: multi-line text as the literal block js-yaml writes for it, where
 * ./literal-block.ts is sure of that block, anything else double-quoted, which YAML 1.1 (cloud-init)
 * and 1.2 read alike. Shorter strings are dumped by js-yaml as before, so ordinary output is unchanged.
 */
import { randomBytes } from 'node:crypto';
import { dump, type DumpOptions } from 'js-yaml';
import { literalBlock } from './literal-block.ts';

const LARGE = 64 * 1024;
/** Unguessable, so no value of a profile can pass for a marker. */
const MARK = `KINDLING-LARGE-SCALAR-${randomBytes(8).toString('hex')}-`;
const MARKED = new RegExp(`^( *(?:- )?)((?:[A-Za-z_][A-Za-z0-9_-]*: )?)${MARK}(\\d+)$`, 'gm');

export function dumpYaml(value: unknown, options: DumpOptions): string {
  const large: string[] = [];
  const text = dump(swapLarge(value, large), options);
  if (large.length === 0) return text;
  return text.replace(MARKED, (_line, lead: string, key: string, index: string) => {
    const string = large[Number(index)]!;
    const block = key === '' ? undefined : literalBlock(string, lead.length);
    return `${lead}${key}${block ?? doubleQuoted(string)}`;
  });
}

/** `value` with every string longer than LARGE replaced by a marker; parts without one are shared, not copied. */
function swapLarge(value: unknown, large: string[]): unknown {
  if (typeof value === 'string') {
    if (value.length <= LARGE) return value;
    large.push(value);
    return `${MARK}${large.length - 1}`;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => swapLarge(item, large));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, swapLarge(item, large)] as const);
    return entries.some(([key, item]) => item !== (value as Record<string, unknown>)[key]) ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * A YAML double-quoted scalar: JSON's string syntax (its escapes are YAML escapes too), plus DEL and
 * the C1 controls, which YAML does not allow unescaped, and U+2028/U+2029, which YAML 1.1 (PyYAML,
 * so cloud-init) reads as line breaks and folds.
 */
function doubleQuoted(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16)}` : `\\u${code.toString(16)}`;
  });
}
