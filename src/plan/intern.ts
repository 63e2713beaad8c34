/**
 * Sharing between the nodes of one project. In a fleet most of what a node gets is identical to
 * what its neighbours get (net-conf.json, the kubeconfig, the CNI unit, a role's files). Two tools
 * make that cheap, without changing any output:
 *
 * - `sharedValue` computes a project-wide value once (e.g. the kubeconfig text);
 * - `internPlan` replaces each planned entry by the first equal entry seen in the project, so the
 *   renderers can cache their work per entry object (WeakMap) and do it once per distinct entry.
 *
 * Both hold their tables in WeakMaps keyed by the Project, so they vanish with it.
 */
import type { Project } from '../resolve/project-model.ts';
import type { NodePlan, PlannedDirectory, PlannedFile, PlannedUnit, PlannedUser } from './node-plan.ts';

const values = new WeakMap<Project, Map<string, unknown>>();
const entries = new WeakMap<Project, Map<string, object>>();

export function sharedValue<T>(project: Project, key: string, make: () => T): T {
  let table = values.get(project);
  if (!table) values.set(project, (table = new Map()));
  if (!table.has(key)) table.set(key, make());
  return table.get(key) as T;
}

function intern<T extends object>(project: Project, key: string, entry: T): T {
  let table = entries.get(project);
  if (!table) entries.set(project, (table = new Map()));
  const existing = table.get(key);
  if (existing) return existing as T;
  table.set(key, entry);
  return entry;
}

/**
 * Long texts (a kubeconfig, a script, a unit) appear in the keys as a short number. Nodes usually
 * share the very same string object, whose hash V8 keeps, so this lookup is cheap where hashing a
 * fresh key that embeds the text would copy and hash it all again for every node.
 */
const textIds = new Map<string, number>();
// Never reused, even after a clear: an old key must not come to mean a different text.
let nextTextId = 0;
export function textId(text: string): number {
  let id = textIds.get(text);
  if (id === undefined) {
    if (textIds.size > 100_000) textIds.clear();
    textIds.set(text, (id = nextTextId++));
  }
  return id;
}

function fileKey(f: PlannedFile): string {
  const c = f.contents;
  const contents = c.kind === 'inline' ? `i${textId(c.text)}` : c.kind === 'bytes' ? `b${textId(Buffer.from(c.data).toString('base64'))}` : `r${c.download.url}\0${c.download.sha512 ?? ''}\0${c.download.sha256 ?? ''}`;
  const origin = f.origin ? `${f.origin.file}:${f.origin.line}:${f.origin.column}` : '';
  return `f\0${f.path}\0${f.mode}\0${f.owner}\0${f.group}\0${f.secret ? 1 : 0}\0${f.overwrite ? 1 : 0}\0${f.source}\0${origin}\0${contents}`;
}

function unitKey(u: PlannedUnit): string {
  const origin = u.origin ? `${u.origin.file}:${u.origin.line}:${u.origin.column}` : '';
  const dropins = u.dropins.map((d) => `${d.name}\0${textId(d.contents)}`).join('\0\0');
  return `u\0${u.name}\0${u.enabled}\0${u.mask}\0${u.profileDropins ? 1 : 0}\0${u.source}\0${origin}\0${u.needs.join('\0')}\0${dropins}\0\0${u.contents === undefined ? 'none' : textId(u.contents)}`;
}

function directoryKey(d: PlannedDirectory): string {
  return `d\0${d.path}\0${d.mode}\0${d.source}`;
}

function userKey(u: PlannedUser): string {
  return `p\0${JSON.stringify(u)}`;
}

export function internPlan(project: Project, plan: NodePlan): NodePlan {
  return {
    ...plan,
    files: plan.files.map((f) => (f.perNode ? f : intern(project, fileKey(f), f))),
    directories: plan.directories.map((d) => intern(project, directoryKey(d), d)),
    units: plan.units.map((u) => (u.perNode ? u : intern(project, unitKey(u), u))),
    users: plan.users.map((u) => intern(project, userKey(u), u)),
  };
}

/**
 * What a later stage makes of a plan entry (its YAML, a derived entry, a Butane item), remembered
 * by the entry object: a shared entry is the same object on every node (internPlan), so this is
 * made once per project. A per-node entry is new on every node: it is made each time and not kept,
 * since keeping it would only feed the garbage collector.
 */
export function perEntry<K extends object & { readonly perNode?: boolean }, V>(table: WeakMap<K, V>, entry: K, make: () => V): V {
  if (entry.perNode === true) return make();
  let value = table.get(entry);
  if (value === undefined) table.set(entry, (value = make()));
  return value;
}
