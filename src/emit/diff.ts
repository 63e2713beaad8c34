/**
 * `kindling diff`: what a build would change in out/<cluster>/, per node and per file (pure).
 * Payloads are compared as a reviewer reads them (delivery/readable-payload.ts: gzip, base64 and
 * data URLs decoded, secrets masked), so a diff can be pasted into a pull request without leaking
 * flanneld's credential; binary artifacts (seed.iso, ignition.img) are reported by size only.
 */
import { readablePayload } from '../delivery/readable-payload.ts';
import { unifiedDiff } from '../delivery/unified-diff.ts';

export type FileChange = 'added' | 'removed' | 'changed';

export interface FileDiff {
  /** Relative to out/<cluster>/. */
  readonly path: string;
  /** The node a file under nodes/<node>/ belongs to. */
  readonly node?: string;
  readonly change: FileChange;
  readonly binary: boolean;
  readonly sizeBefore?: number;
  readonly sizeAfter?: number;
  /** Unified-diff hunk lines of the readable text; empty for binary files. */
  readonly lines: readonly string[];
  /** What was decoded to make the text readable (e.g. 'data URLs decoded'). */
  readonly notes: readonly string[];
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function nodeOf(path: string): string | undefined {
  const match = /^nodes\/([^/]+)\//.exec(path);
  return match ? match[1] : undefined;
}

export function diffTrees(current: ReadonlyMap<string, Uint8Array>, next: ReadonlyMap<string, Uint8Array>): FileDiff[] {
  const paths = [...new Set([...current.keys(), ...next.keys()])].sort();
  const diffs: FileDiff[] = [];
  for (const path of paths) {
    const before = current.get(path);
    const after = next.get(path);
    if (before && after && sameBytes(before, after)) continue;
    const change: FileChange = !before ? 'added' : !after ? 'removed' : 'changed';
    const a = before ? readablePayload(path, before) : { text: '', notes: [] };
    const b = after ? readablePayload(path, after) : { text: '', notes: [] };
    const binary = 'binary' in a || 'binary' in b;
    const node = nodeOf(path);
    diffs.push({
      path,
      ...(node ? { node } : {}),
      change,
      binary,
      ...(before ? { sizeBefore: before.byteLength } : {}),
      ...(after ? { sizeAfter: after.byteLength } : {}),
      lines: 'binary' in a || 'binary' in b ? [] : unifiedDiff(a.text, b.text),
      notes: [...new Set([...('notes' in a ? a.notes : []), ...('notes' in b ? b.notes : [])])],
    });
  }
  return diffs;
}

const SIGN: Record<FileChange, string> = { added: '+', removed: '-', changed: '~' };

/** Text for a terminal or a pull request: a summary per node, then each file's unified diff. */
export function formatDiff(diffs: readonly FileDiff[], clusterDir: string): string {
  if (diffs.length === 0) return `${clusterDir}/ is up to date: a build would change nothing\n`;
  const out: string[] = [];
  const groups = new Map<string, FileDiff[]>();
  for (const d of diffs) {
    const key = d.node !== undefined ? `node ${d.node}` : 'cluster files';
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  for (const [group, files] of groups) {
    out.push(`${group}:`);
    for (const f of files) out.push(`  ${SIGN[f.change]} ${f.path} (${f.change}${f.binary ? `, binary ${f.sizeBefore ?? 0} -> ${f.sizeAfter ?? 0} bytes` : ''})`);
  }
  out.push('');
  for (const f of diffs) {
    if (f.binary) continue;
    if (f.lines.length === 0) {
      out.push(`${f.change} ${f.path}: differs only in encoding, compression or masked secrets`, '');
      continue;
    }
    out.push(`--- ${f.change === 'added' ? '/dev/null' : `a/${f.path}`}`, `+++ ${f.change === 'removed' ? '/dev/null' : `b/${f.path}`}${f.notes.length ? `  (${f.notes.join(', ')})` : ''}`, ...f.lines, '');
  }
  const count = (c: FileChange): number => diffs.filter((d) => d.change === c).length;
  const nodes = [...new Set(diffs.flatMap((d) => (d.node ? [d.node] : [])))];
  out.push(`${diffs.length} file${diffs.length === 1 ? '' : 's'} would change (${count('added')} added, ${count('changed')} changed, ${count('removed')} removed)${nodes.length ? ` on ${nodes.length} node${nodes.length === 1 ? '' : 's'}` : ''}`);
  return `${out.join('\n')}\n`;
}
