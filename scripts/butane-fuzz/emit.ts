/**
 * Writes a generated value tree as YAML text, with YAML's edge cases chosen at random when
 * `exotic` is on: flow collections, every quoting style, block scalars with each chomping mode,
 * explicit tags, anchors, aliases and merge keys, odd indentation, comments, CRLF line ends, a
 * BOM and extra documents. The emitter need not round-trip exactly: both translators read the
 * same text, so any YAML (even invalid) is a fair test.
 */
import { Raw, type Value } from './generate.ts';
import type { Rng } from './rng.ts';

export interface EmitOptions {
  readonly exotic: boolean;
}

const PLAIN_SAFE = /^[A-Za-z0-9/_.][A-Za-z0-9/_.,@=+ -]*$/;
const PLAIN_SAFE_FLOW = /^[A-Za-z0-9/_.][A-Za-z0-9/_.@=+ -]*$/;

class Emitter {
  private anchorCount = 0;
  /** key → anchor names of values written under that key, for aliases and merges. */
  private readonly anchors = new Map<string, { name: string; kind: 'map' | 'seq' | 'scalar' }[]>();
  private readonly step: number;
  private readonly compactSeq: boolean;

  constructor(
    private readonly r: Rng,
    private readonly exotic: boolean,
  ) {
    this.step = exotic ? r.pick([2, 2, 3, 4, 1]) : 2;
    this.compactSeq = exotic ? r.chance(0.5) : r.chance(0.3);
  }

  private p(prob: number): boolean {
    return this.exotic && this.r.chance(prob);
  }

  key(k: string): string {
    if (this.p(0.05)) return `"${k}"`;
    if (this.p(0.03)) return `'${k}'`;
    if (this.p(0.02)) return `? ${k}\n`; // complex key indicator, value follows on its own line
    return k;
  }

  scalar(v: string | Raw, flow: boolean, indent: number): string {
    if (v instanceof Raw) return v.text;
    const r = this.r;
    const safe = (flow ? PLAIN_SAFE_FLOW : PLAIN_SAFE).test(v) && !v.endsWith(' ') && !/ #|: /.test(v);
    const tag = this.p(0.04) ? r.pick(['!!str ', '!custom ', '!<tag:yaml.org,2002:str> ']) : '';
    const style = r.int(this.exotic ? 6 : 3);
    if (!flow && style >= 4 && !/[\r\t\x00-\x08\x0b-\x1f\x7f]/.test(v) && !v.startsWith(' ')) {
      const chomp = r.pick(['', '-', '+']);
      const pad = ' '.repeat(indent + this.step);
      const lines = v.split('\n');
      const body = lines.map((l) => (l === '' ? '' : pad + l)).join('\n');
      return `${tag}${style === 4 ? '|' : '>'}${chomp}${this.p(0.2) ? ' # block' : ''}\n${body}`;
    }
    if (safe && style === 0 && v !== '') return tag + v;
    if (style === 1 && !/[\n\r\t\x00-\x1f\x7f]/.test(v)) return `${tag}'${v.replace(/'/g, "''")}'`;
    return tag + JSON.stringify(v).replace(/\u2028/g, '\\L').replace(/\u2029/g, '\\P');
  }

  private anchorFor(key: string, kind: 'map' | 'seq' | 'scalar'): string {
    if (!this.p(0.12)) return '';
    const name = `a${this.anchorCount++}`;
    const list = this.anchors.get(key) ?? [];
    list.push({ name, kind });
    this.anchors.set(key, list);
    return `&${name} `;
  }

  private aliasFor(key: string): string | undefined {
    const list = this.anchors.get(key);
    if (list === undefined || !this.p(0.4)) return undefined;
    return '*' + this.r.pick(list).name;
  }

  flow(v: Value): string {
    if (typeof v === 'string' || v instanceof Raw) return this.scalar(v, true, 0);
    if (Array.isArray(v)) return `[${v.map((x) => this.flow(x)).join(', ')}${this.p(0.1) && v.length > 0 ? ',' : ''}]`;
    return `{${Object.entries(v).map(([k, x]) => `${this.key(k).replace('\n', '')}: ${this.flow(x)}`).join(', ')}}`;
  }

  /** The text after `key:` (starting with a space or a newline) for a value at `indent`. */
  after(key: string, v: Value, indent: number): string {
    const alias = this.aliasFor(key);
    if (alias !== undefined) return ' ' + alias;
    const isScalar = typeof v === 'string' || v instanceof Raw;
    const anchor = this.anchorFor(key, isScalar ? 'scalar' : Array.isArray(v) ? 'seq' : 'map');
    if (isScalar) return ' ' + anchor + this.scalar(v, false, indent);
    if (this.p(0.12) || (Array.isArray(v) && v.length === 0) || (!Array.isArray(v) && Object.keys(v).length === 0)) {
      return ' ' + anchor + this.flow(v);
    }
    const comment = this.p(0.05) ? ' # note' : '';
    if (Array.isArray(v)) {
      const inner = this.compactSeq ? indent : indent + this.step;
      return ` ${anchor}${comment}`.trimEnd() + '\n' + this.seq(key, v, inner);
    }
    return ` ${anchor}${comment}`.trimEnd() + '\n' + this.map(v, indent + this.step, key);
  }

  map(v: { [key: string]: Value }, indent: number, parentKey: string): string {
    const pad = ' '.repeat(indent);
    const lines: string[] = [];
    const merge = this.anchors.get(parentKey + '[]')?.filter((a) => a.kind === 'map');
    if (merge !== undefined && merge.length > 0 && this.p(0.5)) {
      lines.push(`${pad}<<: ${this.r.chance(0.8) ? '*' + this.r.pick(merge).name : `[${merge.map((m) => '*' + m.name).join(', ')}]`}`);
    }
    for (const [k, x] of Object.entries(v)) {
      const key = this.key(k);
      if (key.endsWith('\n')) lines.push(`${pad}${key}${pad}:${this.after(k, x, indent)}`);
      else lines.push(`${pad}${key}:${this.after(k, x, indent)}`);
      if (this.p(0.01)) lines.push(`${pad}${key}:${this.after(k, x, indent)}`); // duplicate key
    }
    return lines.join('\n');
  }

  seq(key: string, v: Value[], indent: number): string {
    const pad = ' '.repeat(indent);
    return v
      .map((item) => {
        if (typeof item === 'string' || item instanceof Raw) return `${pad}- ${this.scalar(item, false, indent + 2)}`;
        if (Array.isArray(item) || this.p(0.1)) return `${pad}- ${this.flow(item)}`;
        const anchor = this.p(0.25) ? `&a${this.anchorCount++}` : '';
        if (anchor !== '') {
          const list = this.anchors.get(key + '[]') ?? [];
          list.push({ name: anchor.slice(1), kind: 'map' });
          this.anchors.set(key + '[]', list);
        }
        const body = this.map(item, indent + 2, key);
        if (anchor !== '') return `${pad}- ${anchor}\n${body}`;
        return `${pad}- ${body.slice(indent + 2)}`;
      })
      .join('\n');
  }
}

/** YAML text for `doc`; in exotic mode with document-level edge cases too. */
export function emitYaml(r: Rng, doc: { [key: string]: Value }, options: EmitOptions): string {
  const e = new Emitter(r, options.exotic);
  let text = e.map(doc, 0, '') + '\n';
  if (options.exotic) {
    if (r.chance(0.1)) text = '---\n' + text;
    if (r.chance(0.05)) text = '%YAML 1.2\n---\n' + text;
    if (r.chance(0.08)) text += r.pick(['---\nvariant: other\n', '...\n', '---\n', '--- |\n  text\n', '---\n: bad\n']);
    if (r.chance(0.05)) text = '# comment first\n' + text;
    if (r.chance(0.05)) text = text.replace(/\n$/, '');
    if (r.chance(0.08)) text = text.replace(/\n/g, '\r\n');
    if (r.chance(0.06)) text = '\uFEFF' + text;
  }
  return text;
}
