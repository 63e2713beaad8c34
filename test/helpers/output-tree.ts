/** An output folder as data, for tests that compare two builds: every entry with its mode and bytes. */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Every entry below `dir` (an out/ folder or one out/<cluster>/): path → mode and, for files, bytes.
 * kindling's record beside an output (.<cluster>.state.json, inodes and times) differs between any
 * two builds and is left out; a manifest names the folder it lies in (its VM arguments), which is
 * written as <output> so that builds into two folders compare equal.
 */
export function outputTree(dir: string, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    if (name.endsWith('.state.json')) continue;
    const path = prefix ? `${prefix}/${name}` : name;
    const full = join(dir, path);
    const stat = lstatSync(full);
    const mode = (stat.mode & 0o7777).toString(8);
    if (stat.isDirectory()) {
      into.set(`${path}/`, mode);
      outputTree(dir, path, into);
    } else if (name === 'manifest.json') {
      into.set(path, `${mode} ${readFileSync(full, 'utf8').replaceAll(resolve(full, '..'), '<output>')}`);
    } else into.set(path, `${mode} ${readFileSync(full).toString('base64')}`);
  }
  return into;
}
