/**
 * Which kindling made an output: a node's recorded input digest is only valid for the code that
 * recorded it, so a new release, a patched dependency or an edited source file rebuilds every node.
 *
 * The shipped command line runs one bundle whose last line is its own SHA-256 (scripts/build-cli.mjs
 * stamps it), which covers kindling's code and every dependency bundled with it. Run from the sources
 * (tests, tsx) or from dist/, the identity is a digest of those files and of package-lock.json.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's own file name, set by scripts/build-cli.mjs; undefined when running from the sources. */
declare const __KINDLING_BUNDLE_FILE__: string | undefined;

const BUNDLE_STAMP = /\/\/ kindling-bundle ([0-9a-f]{64})\n$/;

export function codeIdentity(): string {
  const bundle = typeof __KINDLING_BUNDLE_FILE__ === 'string' ? bundleStamp(__KINDLING_BUNDLE_FILE__) : undefined;
  return bundle !== undefined ? `bundle:${bundle}` : `sources:${sourceDigest()}`;
}

/** The stamp on the bundle's last line (the last 100 bytes are enough). */
function bundleStamp(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(100, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return BUNDLE_STAMP.exec(tail.toString('latin1'))?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** This module's tree (src/ or dist/), in name order, plus the locked dependency versions. */
function sourceDigest(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const tree = join(here, '..');
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) hash.update(`${path.slice(tree.length)}\0`).update(readFileSync(path));
    }
  };
  visit(tree);
  try {
    hash.update(readFileSync(join(tree, '..', 'package-lock.json')));
  } catch {
    // an installed package has no lock file; its version is in the tree's package metadata
  }
  return hash.digest('hex');
}
