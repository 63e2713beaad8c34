/**
 * Butane-level checks on the decoded source (step 4 of Butane's pipeline), in the order
 * Butane's reflective walk reaches them: a struct's own check, then its fields in order.
 */
import type { TranslationMemory } from './translation-memory.ts';
import type { CompiledStruct, Schema, StructName } from './schema.ts';
import type { Decoded } from './decode.ts';
import type { ReportPath } from './report.ts';
import { checkForDecimalMode } from './modes.ts';
import { BUTANE_ERRORS as E, type ButaneCode, type ButaneMessage } from './errors.ts';

export interface SourceIssue {
  readonly code: ButaneCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly path: ReportPath;
}

const issue = (severity: SourceIssue['severity'], said: ButaneMessage, path: ReportPath): SourceIssue => ({ code: said.code, severity, message: said.message, path });
const BOOT_LAYOUTS = new Set(['x86_64', 'aarch64', 'ppc64le']);

type Check = (v: Decoded, path: ReportPath, out: SourceIssue[]) => void;

const CHECKS: Partial<Record<StructName, Check>> = {
  Resource(v, path, out) {
    let last: string | undefined;
    let n = 0;
    for (const k of ['local', 'inline', 'source']) {
      if (v[k] !== undefined) {
        n++;
        last = k;
      }
    }
    if (n > 1 && last) out.push(issue('error', E.tooManySources, [...path, last]));
  },
  File(v, path, out) {
    if (typeof v['mode'] === 'number' && checkForDecimalMode(v['mode'], false)) {
      out.push(issue('warning', E.decimalMode, [...path, 'mode']));
    }
  },
  Directory(v, path, out) {
    if (typeof v['mode'] === 'number' && checkForDecimalMode(v['mode'], true)) {
      out.push(issue('warning', E.decimalMode, [...path, 'mode']));
    }
  },
  Filesystem(v, path, out) {
    if (v['with_mount_unit'] !== true) return;
    if (!v['format']) {
      out.push(issue('error', E.mountUnitFormat, [...path, 'format']));
    } else if (v['format'] !== 'swap' && !v['path']) {
      out.push(issue('error', E.mountUnitPath, [...path, 'path']));
    }
  },
  Unit: unitSources,
  Dropin: unitSources,
  BootDevice(v, path, out) {
    const layout = v['layout'];
    if (typeof layout === 'string' && !BOOT_LAYOUTS.has(layout)) {
      out.push(issue('error', E.bootDeviceLayout, [...path, 'layout']));
    }
  },
  BootDeviceMirror(v, path, out) {
    const devices = v['devices'];
    if (Array.isArray(devices) && devices.length === 1) {
      out.push(issue('error', E.mirrorDevices, [...path, 'devices']));
    }
  },
  GrubUser(v, path, out) {
    if (!v['name']) out.push(issue('error', E.grubUserName, [...path, 'name']));
    if (!v['password_hash']) {
      out.push(issue('error', E.grubUserPassword, [...path, 'password_hash']));
    }
  },
};

function unitSources(v: Decoded, path: ReportPath, out: SourceIssue[]): void {
  if (v['contents'] !== undefined && v['contents_local'] !== undefined) {
    out.push(issue('error', E.tooManyUnitSources, [...path, 'contents_local']));
  }
}

export function validateSource(schema: Schema, config: Decoded, memory: TranslationMemory): SourceIssue[] {
  const out: SourceIssue[] = [];
  walk(schema, schema.Config, config, [], out, memory);
  return out;
}

/**
 * A shared list item that passed (an item of kindling's generated documents, the same unchanging
 * object in every node's document, as TranslationMemory.isSharedInput says) is not walked again.
 * One table per struct definition, since the same object could in principle sit in lists of
 * different types.
 */
function walkOnce(schema: Schema, def: CompiledStruct, v: Decoded, path: ReportPath, out: SourceIssue[], memory: TranslationMemory): void {
  const shared = v !== null && typeof v === 'object' && memory.isSharedInput(v);
  const before = out.length;
  walk(schema, def, v, path, out, memory);
  if (shared && out.length === before) {
    let table = memory.passedSource.get(def);
    if (!table) memory.passedSource.set(def, (table = new WeakSet()));
    table.add(v);
  }
}

function walk(schema: Schema, def: CompiledStruct, v: Decoded, path: ReportPath, out: SourceIssue[], memory: TranslationMemory): void {
  CHECKS[def.name]?.(v, path, out);
  for (const fd of def.fields) {
    const x = v[fd.yaml];
    if (x === undefined || typeof fd.type === 'string') continue;
    if ('struct' in fd.type) {
      walk(schema, schema[fd.type.struct], x as Decoded, [...path, fd.yaml], out, memory);
    } else if (typeof fd.type.list === 'object' && 'struct' in fd.type.list) {
      const inner = schema[fd.type.list.struct];
      (x as Decoded[]).forEach((item, i) => {
        if (!memory.passedSource.get(inner)?.has(item)) walkOnce(schema, inner, item, [...path, fd.yaml, i], out, memory);
      });
    }
  }
}
