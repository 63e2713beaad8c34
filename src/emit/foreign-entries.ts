/**
 * Files a person put inside a kindling output (boot assets, notes) are not kindling's to remove.
 * A build replaces out/<cluster>/ whole, so before the swap such entries are carried into the new
 * tree: files as hard links (a copy where the file system refuses links), folders made anew with
 * their mode, symbolic links re-made. The previous tree keeps its own links until the swap has
 * succeeded, so a build that fails at any point loses nothing.
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, chmodSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';

export class ForeignEntryError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * The top-most entries below `clusterDir` that `listed` (the previous manifest's files, relative
 * paths) does not account for. The manifest itself is kindling's.
 */
export function findForeignEntries(clusterDir: string, listed: ReadonlySet<string>): string[] {
  const folders = new Set<string>();
  for (const path of listed) for (let dir = dirname(path); dir !== '.'; dir = dirname(dir)) folders.add(dir);
  const foreign: string[] = [];
  const walk = (rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === '' ? clusterDir : join(clusterDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isFile() && listed.has(path)) continue;
      if (entry.isDirectory() && folders.has(path)) walk(path);
      else foreign.push(path);
    }
  };
  walk('');
  return foreign.sort();
}

/** Puts each foreign entry of `fromDir` at the same place in `toDir`, refusing to cover anything the build wrote. */
export function carryForeignEntries(fromDir: string, toDir: string, paths: readonly string[]): void {
  for (const path of paths) {
    makeParents(fromDir, toDir, dirname(path));
    copyEntry(join(fromDir, path), join(toDir, path), path);
  }
}

/** The folders above a carried entry, made with the modes they had (they may be gone from the new tree). */
function makeParents(fromDir: string, toDir: string, rel: string): void {
  if (rel === '.') return;
  const target = join(toDir, rel);
  const stat = lstatIfAny(target);
  if (stat?.isDirectory()) return;
  if (stat) throw new ForeignEntryError(rel, 'the build writes a file where this entry needs a folder');
  makeParents(fromDir, toDir, dirname(rel));
  makeFolderLike(join(fromDir, rel), target);
}

/** One entry, into a folder the build made too (a person's pxe/ beside kindling's) or to a free place. */
function copyEntry(from: string, to: string, rel: string): void {
  const stat = lstatSync(from);
  const there = lstatIfAny(to);
  if (there && !(there.isDirectory() && stat.isDirectory())) throw new ForeignEntryError(rel, 'the build writes its own file or folder at that path');
  if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
  else if (stat.isFile()) linkOrCopy(from, to);
  else if (stat.isDirectory()) {
    if (!there) makeFolderLike(from, to);
    for (const name of readdirSync(from)) copyEntry(join(from, name), join(to, name), `${rel}/${name}`);
  } else throw new ForeignEntryError(rel, 'it is neither a file, a folder nor a symbolic link, so it cannot be kept');
}

function makeFolderLike(from: string, to: string): void {
  const mode = lstatSync(from).mode & 0o7777;
  mkdirSync(to, { mode });
  chmodSync(to, mode);
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'EMLINK') throw error;
    copyFileSync(from, to);
    chmodSync(to, lstatSync(from).mode & 0o7777);
  }
}

function lstatIfAny(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
