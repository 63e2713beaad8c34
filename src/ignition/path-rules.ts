/** Ignition's validatePath. */
import { IGNITION_ERRORS as E, type IgnitionMessage } from './errors.ts';
import { goPathClean } from './go-text.ts';

/** The error for a path Ignition would refuse: it must be absolute and already clean, as Ignition writes exactly that path. */
export function pathError(p: string): IgnitionMessage | null {
  if (p === '') return E.pathNotSpecified;
  if (!p.startsWith('/')) return E.pathNotAbsolute;
  if (goPathClean(p) !== p) return E.pathNotClean;
  return null;
}
