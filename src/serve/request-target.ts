/**
 * Which file a request asks for, decided from the raw request target alone, before the disk is
 * touched: a path under the cluster's URL path (or its `assets/`), made of plain names. Anything
 * else — `..` or `.` segments (raw or percent-encoded), hidden names (the state and lock files, a
 * build's staging folders), encoded slashes or backslashes, NUL, empty segments, a folder — names
 * no file, so the server answers 404 without looking, and says nothing about what exists.
 */
export interface RequestTarget {
  /** Which served folder the file is in. */
  readonly folder: 'output' | 'assets';
  /** The file's path inside that folder, '/'-separated plain names. */
  readonly path: string;
}

/** Escapes that would change the path's structure once decoded: '/', '\' and NUL (Node's parser already refuses a raw NUL). */
const STRUCTURAL_ESCAPE = /%(?:2f|5c|00)/i;

function decodedPath(rawTarget: string): string | undefined {
  if (!rawTarget.startsWith('/')) return undefined;
  const raw = rawTarget.replace(/[?#].*$/s, '');
  if (STRUCTURAL_ESCAPE.test(raw) || raw.includes('\\')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

const plainNames = (path: string): boolean => path !== '' && path.split('/').every((name) => name !== '' && !name.startsWith('.'));

/**
 * @param urlPath where out/<cluster>/ is served, with a trailing slash
 * @param hasAssets whether a boot-asset folder is served at `<urlPath>assets/`
 */
export function requestTarget(rawTarget: string, urlPath: string, hasAssets: boolean): RequestTarget | undefined {
  const path = decodedPath(rawTarget);
  if (path === undefined || !path.startsWith(urlPath)) return undefined;
  const inside = path.slice(urlPath.length);
  const target: RequestTarget = hasAssets && inside.startsWith('assets/') ? { folder: 'assets', path: inside.slice('assets/'.length) } : { folder: 'output', path: inside };
  return plainNames(target.path) ? target : undefined;
}
