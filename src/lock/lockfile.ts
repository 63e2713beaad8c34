/**
 * `kindling.lock`: the pinned size and hashes of every artifact a build downloads, kept next to the
 * profiles and reviewed in git. Written sorted by URL with a fixed key order so that re-locking an
 * unchanged project rewrites the same bytes and a real change is a small diff.
 *
 *   # kindling.lock — written by `kindling lock`. ...
 *   version: 1
 *   artifacts:
 *     - url: https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64
 *       sha256: <64 hex>
 *       sha512: <128 hex>
 *       size: 41234567
 *
 * Parsing, serialising and diffing are pure; readLockfile/writeLockfile are the only I/O here.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import { boundedReadHint, readBoundedFile } from '../io/bounded-file.ts';

export const LOCKFILE_NAME = 'kindling.lock';
const LOCKFILE_VERSION = 1;

export interface LockEntry {
  readonly url: string;
  /** Lower-case hex. */
  readonly sha256: string;
  /** Lower-case hex; Ignition's `verification.hash` takes it as `sha512-<hex>`. */
  readonly sha512: string;
  readonly size: number;
}

export interface Lockfile {
  /** Sorted by URL, one entry per URL. */
  readonly artifacts: readonly LockEntry[];
}

export interface LockfileParseResult {
  /** Present only when there were no errors. */
  readonly lockfile?: Lockfile;
  readonly diagnostics: readonly Diagnostic[];
}

const ENTRY_KEYS = ['url', 'sha256', 'sha512', 'size'] as const;
const HEX = { sha256: /^[0-9a-f]{64}$/, sha512: /^[0-9a-f]{128}$/ } as const;

/** Plain code-unit order, not locale order: the file must sort the same on every machine. */
function compareUrls(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds a lock file from entries, sorted by URL; throws on one URL pinned to two different hashes. */
export function createLockfile(entries: Iterable<LockEntry>): Lockfile {
  const byUrl = new Map<string, LockEntry>();
  for (const entry of entries) {
    const previous = byUrl.get(entry.url);
    if (previous !== undefined && (previous.sha512 !== entry.sha512 || previous.sha256 !== entry.sha256 || previous.size !== entry.size)) {
      throw new Error(`${entry.url} is pinned twice with different hashes`);
    }
    byUrl.set(entry.url, { url: entry.url, sha256: entry.sha256, sha512: entry.sha512, size: entry.size });
  }
  return { artifacts: [...byUrl.values()].sort((a, b) => compareUrls(a.url, b.url)) };
}

const HEADER = [
  '# kindling.lock — written by `kindling lock`; commit it next to the profiles.',
  '# Pins the size and hashes of every downloaded artifact. Do not edit by hand: re-run `kindling lock`.',
];

/**
 * Hex digests are written plain, except the rare one made only of digits and `e`, which a YAML
 * reader would take for an integer or a float (`123e4…`): that one is quoted.
 */
function yamlHex(hex: string): string {
  return /^[0-9e]+$/.test(hex) ? `"${hex}"` : hex;
}

/** Deterministic text: fixed header, fixed key order, entries sorted by URL, no timestamps. */
export function serializeLockfile(lockfile: Lockfile): string {
  const sorted = createLockfile(lockfile.artifacts).artifacts;
  const lines = [...HEADER, `version: ${LOCKFILE_VERSION}`];
  if (sorted.length === 0) {
    lines.push('artifacts: []');
  } else {
    lines.push('artifacts:');
    for (const entry of sorted) {
      // JSON string syntax is valid YAML and escapes anything a URL could smuggle in.
      lines.push(`  - url: ${JSON.stringify(entry.url)}`, `    sha256: ${yamlHex(entry.sha256)}`, `    sha512: ${yamlHex(entry.sha512)}`, `    size: ${entry.size}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Parses a lock file, reporting every problem at once with file:line:column. */
export function parseLockfile(text: string, file = LOCKFILE_NAME): LockfileParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number | undefined): Diagnostic['location'] => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const report = (code: DiagnosticCode, message: string, hint: string, node: YamlNode | null | undefined, path: (string | number)[]): void => {
    diagnostics.push({ code, severity: 'error', message, hint, location: at(node?.range?.[0]), path });
  };
  const regenerate = 'delete the file and run `kindling lock` again';
  for (const error of doc.errors) {
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax';
    diagnostics.push({ code, severity: 'error', message: error.message.split('\n')[0] ?? error.message, hint: regenerate, location: at(error.pos[0]) });
  }
  if (diagnostics.length > 0) return { diagnostics };

  const root = doc.contents;
  if (!isMap(root)) {
    report('yaml/not-a-mapping', 'the lock file is not a mapping with version and artifacts', regenerate, root, []);
    return { diagnostics };
  }
  let artifactsNode: YamlNode | null = null;
  let sawVersion = false;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as YamlNode | null;
    if (key === 'version') {
      sawVersion = true;
      if (!isScalar(value) || value.value !== LOCKFILE_VERSION) {
        report('schema/enum', `lock file version ${isScalar(value) ? JSON.stringify(value.value) : '?'} is not supported (this kindling writes version ${LOCKFILE_VERSION})`, 'upgrade kindling, or regenerate the lock file with this one', value ?? (pair.key as YamlNode), ['version']);
      }
    } else if (key === 'artifacts') {
      artifactsNode = value;
    } else {
      report('schema/unknown-key', `unknown top-level key ${JSON.stringify(key)} in the lock file`, 'a lock file has only version and artifacts', pair.key as YamlNode, [key]);
    }
  }
  if (!sawVersion) report('schema/missing-key', 'the lock file has no version', regenerate, root, []);
  if (artifactsNode === null) {
    report('schema/missing-key', 'the lock file has no artifacts list', regenerate, root, []);
    return { diagnostics };
  }
  if (!isSeq(artifactsNode)) {
    report('schema/type', 'artifacts must be a list', regenerate, artifactsNode, ['artifacts']);
    return { diagnostics };
  }

  const entries: LockEntry[] = [];
  const seen = new Map<string, number>();
  artifactsNode.items.forEach((item, index) => {
    const path = ['artifacts', index];
    if (!isMap(item)) {
      report('schema/type', `artifact ${index + 1} is not a mapping of url, sha256, sha512 and size`, regenerate, item as YamlNode, path);
      return;
    }
    const fields = new Map<string, YamlNode | null>();
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(ENTRY_KEYS as readonly string[]).includes(key)) {
        report('schema/unknown-key', `unknown key ${JSON.stringify(key)} in artifact ${index + 1}`, 'an entry has only url, sha256, sha512 and size', pair.key as YamlNode, [...path, key]);
        continue;
      }
      fields.set(key, pair.value as YamlNode | null);
    }
    let ok = true;
    for (const key of ENTRY_KEYS) {
      if (!fields.has(key)) {
        report('schema/missing-key', `artifact ${index + 1} has no ${key}`, regenerate, item, path);
        ok = false;
      }
    }
    if (!ok) return;
    const urlNode = fields.get('url');
    const url = isScalar(urlNode) && typeof urlNode.value === 'string' ? urlNode.value : undefined;
    if (url === undefined || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      report('url/invalid', `artifact ${index + 1} has no valid http(s) url`, regenerate, urlNode, [...path, 'url']);
      ok = false;
    } else if (seen.has(url)) {
      report('schema/invalid', `${url} is pinned twice (artifacts ${(seen.get(url) ?? 0) + 1} and ${index + 1})`, 'keep one entry per URL; re-run `kindling lock`', urlNode, [...path, 'url']);
      ok = false;
    } else {
      seen.set(url, index);
    }
    const hashes: Partial<Record<'sha256' | 'sha512', string>> = {};
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const node = fields.get(algorithm);
      // A hand-edited digest made only of digits and `e` loads as a number: fall back to its source text.
      const value = !isScalar(node) ? undefined : typeof node.value === 'string' ? node.value : node.source;
      if (value === undefined || !HEX[algorithm].test(value)) {
        report('artifact/invalid-hash', `artifact ${index + 1} has a malformed ${algorithm} (expected ${algorithm === 'sha256' ? 64 : 128} lower-case hex digits)`, regenerate, node, [...path, algorithm]);
        ok = false;
      } else {
        hashes[algorithm] = value;
      }
    }
    const sizeNode = fields.get('size');
    const size = isScalar(sizeNode) ? sizeNode.value : undefined;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      report('schema/type', `artifact ${index + 1} has a size that is not a whole number of bytes`, regenerate, sizeNode, [...path, 'size']);
      ok = false;
    }
    if (ok && url !== undefined && hashes.sha256 !== undefined && hashes.sha512 !== undefined && typeof size === 'number') {
      entries.push({ url, sha256: hashes.sha256, sha512: hashes.sha512, size });
    }
  });
  if (diagnostics.length > 0) return { diagnostics };
  return { lockfile: createLockfile(entries), diagnostics };
}

interface LockChange {
  readonly url: string;
  readonly before: LockEntry;
  readonly after: LockEntry;
}

export interface LockDiff {
  readonly added: readonly LockEntry[];
  readonly removed: readonly LockEntry[];
  /** Same URL, different bytes: upstream replaced a release asset, or something in between did. */
  readonly changed: readonly LockChange[];
  readonly unchanged: number;
}

/** Compares two lock files by URL; each list is sorted by URL. */
export function diffLock(before: Lockfile, after: Lockfile): LockDiff {
  const old = new Map(before.artifacts.map((e) => [e.url, e]));
  const now = new Map(after.artifacts.map((e) => [e.url, e]));
  const added: LockEntry[] = [];
  const removed: LockEntry[] = [];
  const changed: LockChange[] = [];
  let unchanged = 0;
  for (const [url, entry] of now) {
    const previous = old.get(url);
    if (previous === undefined) added.push(entry);
    else if (previous.sha256 !== entry.sha256 || previous.sha512 !== entry.sha512 || previous.size !== entry.size) changed.push({ url, before: previous, after: entry });
    else unchanged++;
  }
  for (const [url, entry] of old) if (!now.has(url)) removed.push(entry);
  const byUrl = (a: { url: string }, b: { url: string }): number => compareUrls(a.url, b.url);
  return { added: added.sort(byUrl), removed: removed.sort(byUrl), changed: changed.sort(byUrl), unchanged };
}

/**
 * Reads a lock file; a missing file is an empty lock (nothing pinned yet), not an error. Only a
 * regular file within kindling's input limit is read, as every input is: a FIFO or a device at the
 * lock file's path is an error, never a hang.
 */
export async function readLockfile(path: string): Promise<LockfileParseResult> {
  const read = readBoundedFile(path);
  if (!read.ok) {
    if (read.code === 'io/unreadable' && !existsSync(path)) return { lockfile: { artifacts: [] }, diagnostics: [] };
    return {
      diagnostics: [{ code: read.code, severity: 'error', message: `${path} could not be read: ${read.reason}`, hint: boundedReadHint(read.code, 'check the file permissions') }],
    };
  }
  return parseLockfile(read.data.toString('utf8'), path);
}

/**
 * Writes atomically (temporary file in the same directory, then rename) so an interrupted
 * `kindling lock` leaves the previous lock file intact. Returns false when the bytes were already
 * identical and nothing was written.
 */
export async function writeLockfile(path: string, lockfile: Lockfile): Promise<boolean> {
  const text = serializeLockfile(lockfile);
  const current = readBoundedFile(path);
  // Absent, unreadable or not a regular file: the rename below replaces it.
  if (current.ok && current.data.toString('utf8') === text) return false;
  const temp = join(dirname(path), `.${LOCKFILE_NAME}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}
