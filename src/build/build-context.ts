/**
 * Everything one build remembers between its nodes. In a fleet most of what a node gets is equal to
 * what its neighbours get (a role's files, the kubeconfig, the CNI unit, their YAML, their Ignition
 * translation, their checks), so the stages remember work by value or by shared object. All of that
 * memory lives here, in one object made per build and passed down as a parameter: no stage keeps a
 * table of its own, so two builds never see each other's entries, and a node built alone with a
 * fresh context must get exactly what it gets inside a fleet (test/build-context-fleet.test.ts).
 *
 * A stage describes its table once, at module level, with `memoTable` or `contextTable` (a frozen
 * description: a name and how to make the table); the table itself is made in the context on first
 * use.
 */
import { deepFreeze } from '../deep-freeze.ts';

/** How to make one kind of table; the table lives in a BuildContext. */
export interface ContextTable<T> {
  readonly name: string;
  readonly create: (context: BuildContext) => T;
}

/** A table of any shape (a WeakMap by entry, a WeakSet of checked entries, a map by key...). */
export function contextTable<T>(name: string, create: (context: BuildContext) => T): ContextTable<T> {
  return Object.freeze({ name, create });
}

/**
 * A pure function of a string, remembered per build. The table is emptied whenever it reaches
 * `limit` entries, which keeps memory bounded without the bookkeeping of an LRU.
 */
export interface MemoTable<V> {
  readonly name: string;
  readonly limit: number;
  readonly compute: (key: string) => V;
}

export function memoTable<V>(name: string, limit: number, compute: (key: string) => V): MemoTable<V> {
  return Object.freeze({ name, limit, compute });
}

export class BuildContext {
  private readonly tables = new Map<ContextTable<unknown>, unknown>();
  private readonly memos = new Map<MemoTable<unknown>, Map<string, unknown>>();
  private project: object | undefined;
  /** Objects handed to many nodes: deep-frozen, so a check that passed for one passed for all. */
  private readonly sharedObjects = new WeakSet<object>();

  /**
   * Binds the context to the project it builds: its tables hold values made from that project
   * (the kubeconfig, a role's plan), which another project must not get.
   */
  serve(project: object): void {
    if (this.project === undefined) this.project = project;
    else if (this.project !== project) throw new Error('a build context serves one project; make a new BuildContext for another');
  }

  /** This build's table of the given kind. */
  table<T>(kind: ContextTable<T>): T {
    let table = this.tables.get(kind) as T | undefined;
    if (table === undefined) this.tables.set(kind, (table = kind.create(this)));
    return table;
  }

  /** `memo.compute(key)`, computed once per build (until the table starts over). */
  memo<V>(memo: MemoTable<V>, key: string): V {
    let table = this.memos.get(memo) as Map<string, V> | undefined;
    if (table === undefined) this.memos.set(memo, (table = new Map()));
    if (table.has(key)) return table.get(key) as V;
    const value = memo.compute(key);
    if (table.size >= memo.limit) table.clear();
    table.set(key, value);
    return value;
  }

  /** Deep-freezes `value` and marks it as shared between nodes (see isShared). */
  share<T extends object>(value: T): T {
    deepFreeze(value);
    this.sharedObjects.add(value);
    return value;
  }

  /**
   * Whether `value` was shared by this build (share): it is frozen all the way down and the same
   * object in every node's output, so what a check or a serialisation made of it holds for all.
   */
  isShared(value: object): boolean {
    return this.sharedObjects.has(value);
  }
}
