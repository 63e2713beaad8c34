/**
 * A validated document value together with the parsed document it came from, so that any later
 * check can point at the exact place of a value it rejects.
 */
import type { ParsedDocument } from '../parse/parse-document.ts';

export interface Located<T> {
  readonly value: T;
  readonly doc: ParsedDocument;
}

/** `file:line:column` of the value at `path` in `doc`, for hints that point at another definition. */
export function where(doc: ParsedDocument, path: readonly (string | number)[]): string {
  const loc = doc.locate(path);
  return `${loc.file}:${loc.line}:${loc.column}`;
}
