/**
 * What the validator remembers between the configs one caller checks, owned by that caller (the
 * build keeps one per build; a single check gets a fresh one). A fleet's configs repeat the same
 * paths, data URLs and unit texts, and share whole entries: the translator reuses the translation
 * of an entry shared between nodes, and such an entry, once it passed its own checks, is not
 * checked again (checkOnce in report.ts).
 */
import type { IgnitionMessage } from './errors.ts';
import { pathError } from './path-rules.ts';
import { validateSourceUrl } from './go-url.ts';
import { readUnitContents, type UnitParseResult } from './systemd-unit.ts';
import { IGNITION_SPEC_VERSIONS, type IgnitionSpecVersion } from './spec-versions.ts';

/** Answers kept per question before a table starts over (bounds memory without an LRU's bookkeeping). */
const LIMIT = 4096;

/** A pure function of a string, remembered in a bounded table. */
class Remembered<V> {
  private readonly table = new Map<string, V>();
  constructor(private readonly compute: (key: string) => V) {}
  get(key: string): V {
    if (this.table.has(key)) return this.table.get(key) as V;
    const value = this.compute(key);
    if (this.table.size >= LIMIT) this.table.clear();
    this.table.set(key, value);
    return value;
  }
}

/** Entries that passed their own checks, by list (see checkOnce). */
export interface PassedEntries {
  readonly files: WeakSet<object>;
  readonly directories: WeakSet<object>;
  readonly links: WeakSet<object>;
}

export class ValidationMemory {
  private readonly paths = new Remembered(pathError);
  private readonly sources = perVersion((version) => new Remembered((s) => validateSourceUrl(s, version)));
  private readonly units = new Remembered(readUnitContents);
  private readonly passedStorage = perVersion((): PassedEntries => ({ files: new WeakSet(), directories: new WeakSet(), links: new WeakSet() }));
  /** Units that passed checkUnit, whose rules are the same in 3.3.0 and 3.4.0. */
  readonly passedUnits = new WeakSet<object>();

  /**
   * `isShared` says which entries the caller hands to many configs unchanged (deep-frozen): only
   * those may be remembered as checked. By default none is.
   */
  constructor(readonly isShared: (entry: object) => boolean = () => false) {}

  pathError(path: string): IgnitionMessage | null {
    return this.paths.get(path);
  }

  sourceUrlError(source: string, version: IgnitionSpecVersion): IgnitionMessage | null {
    return this.sources[version].get(source);
  }

  /** go-systemd's reading of a unit text; the result is shared, so callers only read it. */
  unitContents(contents: string): UnitParseResult {
    return this.units.get(contents);
  }

  passedEntries(version: IgnitionSpecVersion): PassedEntries {
    return this.passedStorage[version];
  }
}

/** One value per spec version the validator knows. */
function perVersion<V>(make: (version: IgnitionSpecVersion) => V): Record<IgnitionSpecVersion, V> {
  return Object.fromEntries(IGNITION_SPEC_VERSIONS.map((version) => [version, make(version)])) as Record<IgnitionSpecVersion, V>;
}
