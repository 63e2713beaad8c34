/**
 * Collects issues while the rule walkers run, plus typed accessors that read an untrusted
 * config the way Go's json.Unmarshal would have filled Ignition's structs: a value of the
 * wrong type reads as unset (the schema check has already reported it).
 */
import type { IgnitionIssue } from './validate.ts';
import { IGNITION_ERRORS as E, type IgnitionCode, type IgnitionMessage } from './errors.ts';
import { ValidationMemory } from './validation-memory.ts';

export type Path = (string | number)[];
export type Obj = Record<string, unknown>;

export class Report {
  readonly issues: IgnitionIssue[] = [];
  constructor(readonly memory = new ValidationMemory()) {}
  error(path: Path, said: IgnitionMessage<IgnitionCode>): void {
    this.issues.push({ code: said.code, severity: 'error', message: said.message, path: [...path] });
  }
  warn(path: Path, said: IgnitionMessage<IgnitionCode>): void {
    this.issues.push({ code: said.code, severity: 'warning', message: said.message, path: [...path] });
  }
  /** Adds an error when `said` is not null (Go's AddOnError). */
  errorIf(path: Path, said: IgnitionMessage<IgnitionCode> | null): void {
    if (said !== null) this.error(path, said);
  }
}

/**
 * Runs a check of one entry, remembering by identity that a shared entry passed it: the caller
 * says which entries it shares (ValidationMemory.isShared; deep-frozen, so they cannot change),
 * and the build path shares the Ignition entries of a fleet's shared plan entries between nodes
 * (butane/translate.ts), so each is checked once. `table` is one per check and spec
 * version; an entry with any issue is checked again every time, so its issues are reported with
 * the path it has in each config.
 */
export function checkOnce(table: WeakSet<object>, entry: Obj, report: Report, check: () => void): void {
  if (table.has(entry)) return;
  const before = report.issues.length;
  check();
  if (report.issues.length === before && report.memory.isShared(entry)) table.add(entry);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
}

export function str(o: Obj | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function int(o: Obj | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function bool(o: Obj | undefined, key: string): boolean | undefined {
  const v = o?.[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** A list field; elements keep their raw type so indices stay those of the input. */
export function list(o: Obj | undefined, key: string): unknown[] {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
}

/** Go util.NilOrEmpty on a *string. */
export function nilOrEmpty(s: string | undefined): boolean {
  return s === undefined || s === '';
}

/** Go's len() of a string counts UTF-8 bytes. */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** One keyed list taking part in a duplicate check. */
export interface DupList {
  field: string;
  items: unknown[];
  /** The Key() of an element, or undefined to skip it (wrong type). */
  key: (item: unknown) => string | undefined;
}

/**
 * Ignition's ValidateDups: lists that share a namespace (files, directories and links by path;
 * shouldExist and shouldNotExist) are scanned in order, and every repeat is reported at the
 * later element.
 */
export function checkDuplicates(report: Report, base: Path, lists: DupList[]): void {
  const seen = new Set<string>();
  for (const { field, items, key } of lists) {
    items.forEach((item, i) => {
      const k = key(item);
      if (k === undefined) return;
      if (seen.has(k)) report.error([...base, field, i], E.duplicateEntry);
      seen.add(k);
    });
  }
}

/** Key of a keyed struct element: one string field of it. */
export const keyField =
  (field: string) =>
  (item: unknown): string | undefined =>
    isObj(item) ? (str(item, field) ?? '') : undefined;

/** Key of a string list element: the value itself. */
export const keySelf = (item: unknown): string | undefined => (typeof item === 'string' ? item : undefined);
