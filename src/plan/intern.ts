/**
 * Sharing between the nodes of one build. In a fleet most of what a node gets is identical to
 * what its neighbours get (net-conf.json, the kubeconfig, the CNI unit, a role's files). Two tools
 * make that cheap, without changing any output:
 *
 * - `sharedValue` computes a build-wide value once (e.g. the kubeconfig text);
 * - `internPlan` replaces each planned entry by the first equal entry seen in the build, so the
 *   renderers can cache their work per entry object and do it once per distinct entry. Entries
 *   are equal when their whole content is (content-key.ts), whatever fields they have.
 *
 * The tables belong to the build context, so they vanish with the build.
 */
import { contextTable, type BuildContext } from '../build/build-context.ts';
import { contentKey } from './content-key.ts';
import type { NodePlan } from './node-plan.ts';

const SHARED_VALUES = contextTable('shared values', () => new Map<string, unknown>());
const INTERNED = contextTable('interned plan entries', () => new Map<string, object>());

export function sharedValue<T>(context: BuildContext, key: string, make: () => T): T {
  const table = context.table(SHARED_VALUES);
  if (!table.has(key)) table.set(key, make());
  return table.get(key) as T;
}

/** The first entry of the build with the same kind and content as `entry`, or `entry` itself. */
function intern<T extends object>(context: BuildContext, kind: string, entry: T): T {
  const table = context.table(INTERNED);
  const key = `${kind}${contentKey(context, entry)}`;
  const existing = table.get(key);
  if (existing) return existing as T;
  table.set(key, entry);
  return entry;
}

export function internPlan(context: BuildContext, plan: NodePlan): NodePlan {
  return {
    ...plan,
    files: plan.files.map((f) => (f.perNode ? f : intern(context, 'f', f))),
    directories: plan.directories.map((d) => intern(context, 'd', d)),
    units: plan.units.map((u) => (u.perNode ? u : intern(context, 'u', u))),
    users: plan.users.map((u) => intern(context, 'p', u)),
  };
}

/**
 * What a later stage makes of a plan entry (its YAML, a derived entry, a Butane item), remembered
 * by the entry object: a shared entry is the same object on every node (internPlan), so this is
 * made once per build. A per-node entry is new on every node: it is made each time and not kept,
 * since keeping it would only feed the garbage collector.
 */
export function perEntry<K extends object & { readonly perNode?: boolean }, V>(table: WeakMap<K, V>, entry: K, make: () => V): V {
  if (entry.perNode === true) return make();
  let value = table.get(entry);
  if (value === undefined) table.set(entry, (value = make()));
  return value;
}
