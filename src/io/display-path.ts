import { isAbsolute, relative } from 'node:path';

/** The path to show a user: relative to the working directory when it lies below it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
