/**
 * Butane's report: entries with a YAML path, placed at a line and column of the input, and
 * printed in Butane's raw format (`error at $.a.0.b, line 3 col 7: message`).
 *
 * Problems found on the generated Ignition JSON carry JSON paths; a TranslationSet records
 * where each generated piece came from, so they land on the Butane input that caused them.
 */
import { snake } from './schema.ts';
import type { YNode, Position } from './yaml-tree.ts';
import type { ButaneReportCode } from './errors.ts';

export type ReportPath = readonly (string | number)[];

/**
 * One entry of the report, in the shape kindling's Diagnostics have (without the file, which the
 * caller knows): `code` from the errors table (./errors.ts), `path` the YAML path, `line` and
 * `column` where Butane places it.
 */
export interface ButaneReportEntry {
  code: ButaneReportCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  hint?: string;
  path?: (string | number)[];
  line?: number;
  column?: number;
}

/**
 * Output path → input path, by prefix. Only translations that are not the identity rename
 * (camelCase ↔ snake_case, same indices) are recorded; lookups fall back to the rename, as
 * Butane does for paths its set lacks.
 */
export class TranslationSet {
  private readonly map = new Map<string, ReportPath>();

  add(from: ReportPath, to: ReportPath): void {
    this.map.set(to.join('.'), from);
  }

  /** Maps an output (JSON) path to the input (YAML) path that produced it. */
  toInput(out: ReportPath): (string | number)[] {
    const recorded = this.recordedFor(out);
    if (recorded !== undefined) return [...recorded.input, ...out.slice(recorded.length).map(snakeSegment)];
    return out.map(snakeSegment);
  }

  /** The recorded translation of the longest prefix of `out` (its length and input), if any prefix has one. */
  recordedFor(out: ReportPath): { readonly length: number; readonly input: ReportPath } | undefined {
    if (this.map.size === 0) return undefined;
    for (let n = out.length; n >= 0; n--) {
      const hit = this.map.get(out.slice(0, n).join('.'));
      if (hit !== undefined) return { length: n, input: hit };
    }
    return undefined;
  }

  /**
   * Child list entries moved (a generated parent list now precedes them): re-key everything
   * recorded under `prefix.i` to `prefix.childAt[i]`, and map each moved entry to its input;
   * what was recorded under an entry the merge dropped (childAt -1) goes.
   */
  remapList(prefix: ReportPath, childAt: readonly number[]): void {
    const inputs = childAt.map((_n, i) => this.toInput([...prefix, i]));
    const p = prefix.join('.') + '.';
    const moved = new Map<string, ReportPath>();
    for (const [k, v] of this.map) {
      if (!k.startsWith(p)) continue;
      const rest = k.slice(p.length);
      const dot = rest.indexOf('.');
      const idx = Number(dot < 0 ? rest : rest.slice(0, dot));
      const to = childAt[idx];
      if (to !== undefined && to >= 0) moved.set(p + String(to) + (dot < 0 ? '' : rest.slice(dot)), v);
      this.map.delete(k);
    }
    childAt.forEach((to, i) => {
      if (to < 0) return;
      const key = p + String(to);
      if (!moved.has(key)) moved.set(key, inputs[i]!);
    });
    for (const [k, v] of moved) this.map.set(k, v);
  }

  /** How many non-identity translations were recorded. */
  get size(): number {
    return this.map.size;
  }
}

function snakeSegment(seg: string | number): string | number {
  return typeof seg === 'number' ? seg : snake(seg);
}

/**
 * The position Butane shows for a path: the value's position when the whole path exists,
 * otherwise the deepest existing ancestor's (vcontext's correlation rule).
 */
export function positionOf(root: YNode, path: ReportPath): Position {
  let node: YNode = root;
  for (const seg of path) {
    let next: YNode | undefined;
    if (node.kind === 'map' && typeof seg === 'string') {
      next = node.entries.find((e) => e.key === seg)?.value;
    } else if (node.kind === 'seq' && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined) break;
    node = next;
  }
  return { line: node.line, column: node.column };
}

function formatPath(path: ReportPath): string {
  let s = '$';
  for (const seg of path) s += '.' + String(seg);
  return s;
}

/** One line of Butane's raw report format. */
export function formatEntry(e: ButaneReportEntry): string {
  const at = e.path !== undefined ? ' at ' + formatPath(e.path) : '';
  if (e.line !== undefined) {
    return `${e.severity}${at}${at ? ',' : ' at'} line ${e.line} col ${e.column ?? 0}: ${e.message}`;
  }
  return `${e.severity}${at}: ${e.message}`;
}
