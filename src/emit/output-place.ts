/**
 * Where a build may write: out/<cluster>/ is replaced whole, so it must be kindling's own (absent,
 * empty, or holding a manifest kindling wrote for this cluster) and must not be, hold or lie inside
 * the profiles it is built from.
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { displayPath } from '../io/display-path.ts';
import type { Manifest } from './manifest.ts';

/** The real path of a folder that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
function realPathOf(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPathOf(parent), basename(absolute));
  }
}

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** The output folder and the profile folder must be apart: a build replaces the one and reads the other. */
export function checkOutputApart(outDir: string, cluster: string, projectDir: string): Diagnostic | undefined {
  const project = realPathOf(projectDir);
  const out = realPathOf(outDir);
  const clusterDir = join(out, cluster);
  if (!inside(project, out) && !inside(clusterDir, project)) return undefined;
  return {
    code: 'emit/overlaps-project',
    severity: 'error',
    message: inside(project, out)
      ? `the output folder '${displayPath(outDir)}' is or contains the profile folder '${displayPath(projectDir)}'`
      : `the output '${displayPath(join(outDir, cluster))}' would lie inside the profile folder '${displayPath(projectDir)}'`,
    hint: 'choose an --out outside the profiles (the default is ./out); nothing was written',
  };
}

/**
 * Refuses an existing out/<cluster> that is not a kindling output of this cluster: a link, a file,
 * or a folder with entries but no manifest of ours. An empty folder is fine.
 */
export function checkOutputIsOurs(clusterDir: string, cluster: string, manifest: Manifest | undefined): Diagnostic | undefined {
  let stat;
  try {
    stat = lstatSync(clusterDir);
  } catch {
    return undefined;
  }
  const shown = displayPath(clusterDir);
  const refuse = (what: string): Diagnostic => ({
    code: 'emit/not-kindling-output',
    severity: 'error',
    message: `'${shown}' ${what}; a build replaces that folder whole, so kindling refuses to write there`,
    hint: `move it away or choose another --out; nothing was removed`,
  });
  if (stat.isSymbolicLink()) return refuse('is a symbolic link');
  if (!stat.isDirectory()) return refuse('exists and is not a folder');
  if (manifest?.cluster === cluster) return undefined;
  if (manifest) return refuse(`holds the output of another cluster ('${manifest.cluster}')`);
  return readdirSync(clusterDir).length === 0 ? undefined : refuse('exists and was not written by kindling (it has no manifest.json of kindling\'s)');
}
