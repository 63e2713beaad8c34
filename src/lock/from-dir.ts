/**
 * `kindling lock --from-dir DIR`: where a folder of downloaded files has the copy of an artifact.
 * Two places are looked at, in order:
 *
 *   1. DIR/<path of the release URL>, the layout `--mirror-to` writes (so a mirror folder, or a
 *      copy of one carried into an air-gapped site, is a valid DIR);
 *   2. DIR/<file name of the URL>, a flat folder of what a browser or curl saved.
 *
 * A file name that two artifacts of the run share (flanneld-amd64 from two URLs) is ambiguous in a
 * flat folder: it is an error rather than a guess, and so is an artifact found in neither place.
 * Either way the artifact is not downloaded instead: the user said where the bytes are.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath } from '../io/display-path.ts';
import type { LockTarget } from './collect-targets.ts';
import type { FoundCopy } from './lock-artifacts.ts';
import { mirrorRelativePath } from './mirror-dir.ts';
import { assetFileName } from './published-checksum.ts';

const exists = (path: string): boolean => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Finds the copies of `targets` in `dir`; every target of the run is given to judge ambiguity. */
export function copyFinder(dir: string, targets: readonly LockTarget[]): (target: LockTarget) => FoundCopy {
  const root = resolve(dir);
  const sharing = new Map<string, string[]>();
  for (const target of targets) {
    const name = assetFileName(target.url);
    sharing.set(name, [...(sharing.get(name) ?? []), target.url]);
  }
  return (target) => {
    const relative = mirrorRelativePath(target.url);
    const laidOut = relative === undefined ? undefined : join(root, ...relative.split('/'));
    if (laidOut !== undefined && exists(laidOut)) return { file: laidOut };
    const name = assetFileName(target.url);
    const flat = join(root, name);
    const others = sharing.get(name) ?? [];
    const location = target.location !== undefined ? { location: target.location } : {};
    if (others.length > 1 && exists(flat)) {
      return {
        problem: {
          code: 'io/unreadable',
          severity: 'error',
          message: `--from-dir: ${displayPath(flat)} could be the copy of any of ${others.join(', ')}`,
          hint: `put each copy at ${displayPath(root)}/<path of its URL>${relative === undefined ? '' : ` (here ${relative})`}, or name it with --from-file URL=PATH`,
          ...location,
        },
      };
    }
    if (others.length === 1 && exists(flat)) return { file: flat };
    const looked = [laidOut, others.length === 1 ? flat : undefined].filter((p) => p !== undefined).map(displayPath);
    return {
      problem: {
        code: 'io/unreadable',
        severity: 'error',
        message: `--from-dir: no copy of ${target.url} (looked for ${looked.join(' and ')})`,
        hint: `download it into ${displayPath(root)}, or name its copy with --from-file URL=PATH`,
        ...location,
      },
    };
  };
}
