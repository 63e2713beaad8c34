/**
 * A fast path for the YAML scalars a fleet renders per node: a unit's multi-line contents.
 *
 * js-yaml's `dump` of a unit file, repeated on every node of a fleet, was the largest single share
 * of rendering. For plain ASCII text with at least one line break, js-yaml 5 (lineWidth -1)
 * always picks the literal block style, whose text is a pure function of the string: "|", an
 * indentation indicator when the first non-empty line starts with a space, the chomping indicator,
 * then the lines indented. This module writes exactly that and declines everything else, so the
 * caller falls back to `dump`. test/render/literal-block.test.ts compares the two on
 * thousands of generated strings; the golden files pin the result.
 */

/** Printable ASCII and line feeds only: no tabs, no CR, no Unicode (those change js-yaml's choice). */
const SAFE = /^[\x20-\x7e\n]*$/;
const BLANK = /^\s*$/;

/**
 * The literal block js-yaml writes for `value` as a mapping value whose key sits at `keyIndent`
 * columns (content goes two columns deeper), without the trailing newline of the line; undefined
 * when `value` is not one this fast path is sure about.
 */
export function literalBlock(value: string, keyIndent: number): string | undefined {
  if (!value.includes('\n') || BLANK.test(value) || !SAFE.test(value)) return undefined;
  const shift = keyIndent + 2;
  const indicator = /^\n* /.test(value) ? '2' : '';
  const last = value.length - 1;
  const chomp = value[last] !== '\n' ? '-' : value[last - 1] === '\n' ? '+' : '';
  const pad = ' '.repeat(shift);
  let body = '';
  let position = 0;
  while (position < value.length) {
    const next = value.indexOf('\n', position);
    const end = next === -1 ? value.length : next + 1;
    if (end - position > 1 || next === -1) body += pad;
    body += value.slice(position, end);
    position = end;
  }
  if (body.endsWith('\n')) body = body.slice(0, -1);
  return `|${indicator}${chomp}\n${body}`;
}
