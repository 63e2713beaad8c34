/** Ignition's validatePath. */
import { goPathClean } from './go-text.ts';

/** The error for a path Ignition would refuse: it must be absolute and already clean, as Ignition writes exactly that path. */
export function pathError(p: string): string | null {
  if (p === '') return 'path not specified';
  if (!p.startsWith('/')) return 'path not absolute';
  if (goPathClean(p) !== p) return 'path is not fully simplified';
  return null;
}
