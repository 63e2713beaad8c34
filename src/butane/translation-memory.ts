/**
 * What the translator remembers between the documents one caller translates, owned by that caller
 * (the build keeps one per build; a single translation gets a fresh one). In a fleet the nodes'
 * documents share most of their list items (the same object in every node's document, as the
 * caller says through `isSharedInput`): each such item is checked and translated once per target,
 * its translation reused and written to JSON once, and the Ignition validator checks it once.
 */
import { ValidationMemory } from '../ignition/validation-memory.ts';
import { makeDataUrl, type DataUrl } from './data-url.ts';
import type { CompiledStruct } from './schema.ts';

const INLINE_MAX = 4096;
const INLINE_MAX_LENGTH = 1 << 16;
const utf8 = new TextEncoder();

export class TranslationMemory {
  private readonly outputsByTarget = new Map<string, WeakMap<object, unknown>>();
  /** Translations handed to many configs: deep-frozen, written and checked once. */
  private readonly reused = new WeakSet<object>();
  private readonly inline = new Map<string, DataUrl>();
  /** The compact JSON text of each reused translation (go-json.ts). */
  readonly jsonTexts = new WeakMap<object, string>();
  /** Shared input items that passed the source checks, per struct definition (validate-butane.ts). */
  readonly passedSource = new WeakMap<CompiledStruct, WeakSet<object>>();
  /** The Ignition validator's memory: the reused translations are the entries it may check once. */
  readonly ignition = new ValidationMemory((entry) => this.reused.has(entry));

  /**
   * `isSharedInput` says which list items of the input documents are the same unchanging object in
   * every document that holds them (by default none): only those are remembered.
   */
  constructor(readonly isSharedInput: (item: object) => boolean = () => false) {}

  /** Translated items by input item, for one variant and version (their output differs). */
  outputs(target: string): WeakMap<object, unknown> {
    let table = this.outputsByTarget.get(target);
    if (!table) this.outputsByTarget.set(target, (table = new WeakMap()));
    return table;
  }

  /** Freezes a translation and marks it as reused between configs. */
  reuse<T>(made: T): T {
    freezeAll(made);
    if (made !== null && typeof made === 'object') this.reused.add(made);
    return made;
  }

  isReused(value: object): boolean {
    return this.reused.has(value);
  }

  /**
   * The data URL of an inline text. Fleet builds embed the same unit files, conflists and scripts
   * in thousands of configs and the gzip attempt is the costly part, so results are remembered.
   */
  inlineDataUrl(text: string, userCompression: string | undefined): DataUrl {
    if (userCompression !== undefined || text.length > INLINE_MAX_LENGTH) return makeDataUrl(utf8.encode(text), userCompression);
    let url = this.inline.get(text);
    if (url === undefined) {
      url = makeDataUrl(utf8.encode(text), undefined);
      if (this.inline.size >= INLINE_MAX) this.inline.clear();
      this.inline.set(text, url);
    }
    return url;
  }
}

/** Freezes a translation all the way down, so that no config can change what every config shares. */
function freezeAll(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  for (const inner of Object.values(value)) freezeAll(inner);
  Object.freeze(value);
}
