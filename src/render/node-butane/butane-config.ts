/**
 * Butane renderer (pure): NodePlan → a Butane document (variant flatcar or fcos) and its YAML
 * text `config.bu`. The translator in render/butane turns that text into Ignition JSON; keeping
 * config.bu as an artifact lets users read, diff and hand-translate what kindling produced.
 *
 * Remote files keep Ignition's own fetch: `contents.source` + `verification.hash` (sha512), so the
 * hash is checked in the initramfs before the file is written.
 */
import { dump } from 'js-yaml';
import { literalBlock } from '../literal-block.ts';
import { boundedMemo } from '../../bounded-memo.ts';
import type { NodePlan, PlannedFile } from '../../plan/node-plan.ts';

/** Butane spec per OS and Ignition version (DESIGN.md "Targets"). */
export function butaneVariant(plan: NodePlan): { variant: 'flatcar' | 'fcos'; version: string } {
  const v34 = plan.node.ignitionVersion === '3.4.0';
  if (plan.node.os === 'fcos') return { variant: 'fcos', version: v34 ? '1.5.0' : '1.4.0' };
  return { variant: 'flatcar', version: v34 ? '1.1.0' : '1.0.0' };
}

export function butaneDocument(plan: NodePlan): Record<string, unknown> {
  const { variant, version } = butaneVariant(plan);
  const doc: Record<string, unknown> = { variant, version };
  if (plan.users.length) {
    doc.passwd = {
      users: plan.users.map((u) =>
        once(u, () => ({
          name: u.name,
          ...(u.sshAuthorizedKeys.length ? { ssh_authorized_keys: [...u.sshAuthorizedKeys] } : {}),
          ...(u.groups.length ? { groups: [...u.groups] } : {}),
          ...(u.shell ? { shell: u.shell } : {}),
        })),
      ),
    };
  }
  const storage: Record<string, unknown> = {};
  if (plan.directories.length) storage.directories = plan.directories.map((d) => once(d, () => ({ path: d.path, mode: d.mode })));
  storage.files = sortedFiles(plan).map((f) => once(f, () => file(f)));
  if (plan.links.length) storage.links = plan.links.map((l) => once(l, () => ({ path: l.path, target: l.target })));
  doc.storage = storage;
  doc.systemd = {
    units: plan.units.map((u) =>
      once(u, () => ({
        name: u.name,
        ...(u.enabled !== undefined ? { enabled: u.enabled } : {}),
        ...(u.mask !== undefined ? { mask: u.mask } : {}),
        ...(u.contents !== undefined ? { contents: u.contents } : {}),
        ...(u.dropins.length ? { dropins: u.dropins.map((d) => ({ name: d.name, contents: d.contents })) } : {}),
      })),
    ),
  };
  return doc;
}

/** Files in the order config.bu lists them (by path, so the output does not depend on module order). */
export function sortedFiles(plan: NodePlan): PlannedFile[] {
  return [...plan.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The Butane item for a plan entry, made once per entry object: plan entries are shared across
 * the nodes of a project (plan/intern.ts), so items, their YAML and their translation are too.
 */
const items = new WeakMap<object, Record<string, unknown>>();
/** Items of shared entries: only these are worth remembering text (dumpItem) or translations for. */
const sharedItems = new WeakSet<object>();
export function isSharedItem(item: object): boolean {
  return sharedItems.has(item);
}
function once(entry: object & { readonly perNode?: boolean }, make: () => Record<string, unknown>): Record<string, unknown> {
  // A per-node entry is new on every node: remembering its item only feeds the garbage collector.
  if (entry.perNode === true) return make();
  let item = items.get(entry);
  if (!item) {
    // Frozen, since every node's document holds it: the translator's checks then see it once (checkOnce).
    items.set(entry, (item = deepFreeze(make())));
    sharedItems.add(item);
  }
  return item;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function file(f: PlannedFile): Record<string, unknown> {
  const out: Record<string, unknown> = { path: f.path, mode: f.mode };
  if (f.overwrite) out.overwrite = true;
  if (f.owner !== 'root') out.user = { name: f.owner };
  if (f.group !== 'root') out.group = { name: f.group };
  if (f.contents.kind === 'inline') out.contents = { inline: f.contents.text };
  else if (f.contents.kind === 'bytes') out.contents = { source: `data:;base64,${Buffer.from(f.contents.data).toString('base64')}` };
  else {
    const d = f.contents.download;
    out.contents = { source: d.url, ...(d.sha512 ? { verification: { hash: `sha512-${d.sha512}` } } : {}) };
  }
  return out;
}

/**
 * config.bu text. Emitted with js-yaml (quotes every string a YAML parser could re-type), with each
 * list item dumped once and memoised: most items are identical on every node of a fleet. File and
 * directory modes are written in octal (`mode: 0644`), the way people read them and Butane accepts them.
 */
export function butaneText(plan: NodePlan, document: Record<string, unknown> = butaneDocument(plan)): string {
  const header = `# Generated by kindling for node ${plan.node.name} of cluster ${plan.cluster.name}.\n# Do not edit: change the profiles and run \`kindling build\` again.\n`;
  return header + dumpMapping(document, '');
}

const DUMP_OPTIONS = { lineWidth: -1, noRefs: true } as const;
const OCTAL_MARK = 'KINDLING-OCTAL-MODE-';
const itemCache = new WeakMap<object, Map<number, string>>();

function dumpMapping(map: Record<string, unknown>, indent: string): string {
  let out = '';
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length > 0) {
      out += `${indent}${key}:\n`;
      for (const item of value) out += dumpItem(item, `${indent}  `);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      out += `${indent}${key}:\n${dumpMapping(value as Record<string, unknown>, `${indent}  `)}`;
    } else {
      out += indentLines(scalarEntry(key, value), indent);
    }
  }
  return out;
}

/** `key: value` lines for scalars (variant, version: the same on every node), dumped once each. */
const scalarEntryByJson = boundedMemo(1024, (json) => {
  const [key, value] = JSON.parse(json) as [string, unknown];
  return dump({ [key]: value }, DUMP_OPTIONS);
});
function scalarEntry(key: string, value: unknown): string {
  return scalarEntryByJson(JSON.stringify([key, value]));
}

function dumpItem(item: unknown, indent: string): string {
  const make = (): string => dumpItemText(item, indent);
  if (item === null || typeof item !== 'object' || !sharedItems.has(item)) return make();
  let byIndent = itemCache.get(item);
  if (!byIndent) itemCache.set(item, (byIndent = new Map()));
  let text = byIndent.get(indent.length);
  if (text === undefined) byIndent.set(indent.length, (text = make()));
  return text;
}

function slowDump(item: unknown, indent: string): string {
  return indentLines(octalModes(dump([withOctalMarks(item)], DUMP_OPTIONS)), indent);
}

/**
 * Items made per node (flanneld.service with the node's name, /etc/hostname) miss the identity
 * cache on every node. Their multi-line `contents` / `contents.inline` become markers, the rest is
 * dumped once per shape, and each marker is replaced by the literal block js-yaml would have
 * written (render/literal-block.ts); anything the fast path is unsure of goes through `dump`.
 */
const LITERAL_MARK = 'KINDLING-LITERAL-BLOCK-';
const MARKED_LINE = new RegExp(`^( *(?:- )?)([a-z_]+): ${LITERAL_MARK}(\\d+)$`, 'gm');
/** The dump of a marked item, by indent width and JSON (items are plain data, so JSON is lossless). */
const shapeText = boundedMemo(1024, (key) => {
  const at = key.indexOf('\u0000');
  return slowDump(JSON.parse(key.slice(at + 1)), ' '.repeat(Number(key.slice(0, at))));
});

function dumpItemText(item: unknown, indent: string): string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return slowDump(item, indent);
  const literals: string[] = [];
  const mark = (value: unknown): unknown => {
    if (typeof value !== 'string' || literalBlock(value, 0) === undefined) return value;
    literals.push(value);
    return `${LITERAL_MARK}${literals.length - 1}`;
  };
  const record = item as Record<string, unknown>;
  const contents = record.contents;
  const marked: Record<string, unknown> = { ...record };
  if (typeof contents === 'string') marked.contents = mark(contents);
  else if (contents !== null && typeof contents === 'object' && !Array.isArray(contents) && 'inline' in contents) {
    marked.contents = { ...contents, inline: mark((contents as Record<string, unknown>).inline) };
  }
  const key = JSON.stringify(marked);
  if (literals.length === 0 || key.split(LITERAL_MARK).length - 1 !== literals.length) return slowDump(item, indent);
  const text = shapeText(`${indent.length}\u0000${key}`);
  let replaced = 0;
  const out = text.replace(MARKED_LINE, (_line, lead: string, name: string, index: string) => {
    replaced++;
    return `${lead}${name}: ${literalBlock(literals[Number(index)]!, lead.length)!}`;
  });
  return replaced === literals.length ? out : slowDump(item, indent);
}

/** Replaces a numeric `mode` with a marker that dumps as a plain word, turned into octal digits afterwards. */
function withOctalMarks(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const record = item as Record<string, unknown>;
  if (typeof record.mode !== 'number' || JSON.stringify(item).includes(OCTAL_MARK)) return item;
  return { ...record, mode: `${OCTAL_MARK}${record.mode.toString(8).padStart(4, '0')}` };
}

function octalModes(text: string): string {
  return text.replace(new RegExp(`^(\\s*(?:- )?mode: )${OCTAL_MARK}([0-7]{4})$`, 'gm'), '$1$2');
}

function indentLines(text: string, indent: string): string {
  return indent ? text.replace(/^(?=.)/gm, indent) : text;
}
