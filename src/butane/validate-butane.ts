/**
 * Butane-level checks on the decoded source (step 4 of Butane's pipeline), in the order
 * Butane's reflective walk reaches them: a struct's own check, then its fields in order.
 */
import type { TranslationMemory } from './translation-memory.ts';
import type { BaseVersion, CompiledStruct, Schema, StructName } from './schema.ts';
import type { Decoded } from './decode.ts';
import type { ReportPath } from './report.ts';
import { checkForDecimalMode } from './modes.ts';
import type { InlineConfigIssue } from './inline-config.ts';
import { BUTANE_ERRORS as E, type ButaneCode, type ButaneMessage } from './errors.ts';

interface RuleIssue {
  readonly code: ButaneCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly path: ReportPath;
}

/** A problem of the source: a Butane rule's, or one an inline merge/replace config has (inline-config.ts). */
export type SourceIssue = RuleIssue | InlineConfigIssue;

const issue = (severity: RuleIssue['severity'], said: ButaneMessage, path: ReportPath): RuleIssue => ({ code: said.code, severity, message: said.message, path });
const BOOT_LAYOUTS = new Set(['x86_64', 'aarch64', 'ppc64le']);
/** fcos 1.6.0: the s390x layouts, two of which name the boot disk (a DASD or a zFCP SCSI disk). */
const S390X_DEVICE_NAMES: Readonly<Record<string, RegExp>> = Object.freeze({ 's390x-eckd': /\/dev\/dasd[a-z]$/, 's390x-zfcp': /\/dev\/sd[a-z]$/ });
const S390X_VIRT = 's390x-virt';
/** The disk Fedora CoreOS booted from, whose partitions Ignition may match by label. */
const BOOT_DISK = '/dev/disk/by-id/coreos-boot-disk';
/** A generated mount unit must mount under /etc or /var: the rest of the tree is the OS's. */
const MOUNT_UNIT_PATHS = /^\/(etc|var)(\/|$)/;

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
  Tree(v, path, out) {
    if (!v['local']) out.push(issue('error', E.treeLocalRequired, path));
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
    // Butane checks the mirror here and again when it walks into it: it reports it twice.
    bootDeviceMirror(field(v, 'mirror'), [...path, 'mirror'], out);
  },
  BootDeviceMirror: bootDeviceMirror,
  GrubUser(v, path, out) {
    if (!v['name']) out.push(issue('error', E.grubUserName, [...path, 'name']));
    if (!v['password_hash']) {
      out.push(issue('error', E.grubUserPassword, [...path, 'password_hash']));
    }
  },
};

/** fcos 1.6.0 (base v0_6) adds rules to the config and the boot device. */
const FCOS_V6_CHECKS: Partial<Record<StructName, Check>> = {
  ...CHECKS,
  Config(v, path, out) {
    const storage = field(v, 'storage');
    list(storage, 'disks').forEach((disk, i) => {
      if (disk['device'] === BOOT_DISK || disk['wipe_table'] === true) return;
      list(disk, 'partitions').forEach((partition, j) => {
        if ((partition['number'] ?? 0) === 0 && partition['label'] !== undefined) {
          out.push(issue('warning', E.partitionReuseByLabel, [...path, 'storage', 'disks', i, 'partitions', j, 'number']));
        }
      });
    });
    list(storage, 'filesystems').forEach((fs, i) => {
      const mountPoint = fs['path'];
      if (typeof mountPoint === 'string' && !MOUNT_UNIT_PATHS.test(mountPoint) && fs['with_mount_unit'] === true) {
        out.push(issue('error', E.mountPointForbidden, [...path, 'storage', 'filesystems', i, 'path']));
      }
    });
  },
  BootDevice(v, path, out) {
    const layout = v['layout'];
    const luks = field(v, 'luks');
    if (typeof layout === 'string') {
      const deviceName = S390X_DEVICE_NAMES[layout];
      const device = luks['device'];
      if (deviceName !== undefined) {
        if (typeof device !== 'string' || device === '') out.push(issue('error', E.bootDeviceLuksDevice, [...path, 'layout']));
        else if (!deviceName.test(device)) out.push(issue('error', E.bootDeviceLuksDeviceName, [...path, 'layout']));
      } else if (!BOOT_LAYOUTS.has(layout) && layout !== S390X_VIRT) {
        out.push(issue('error', E.bootDeviceLayout, [...path, 'layout']));
      }
      if (layout.startsWith('s390x') && list(field(v, 'mirror'), 'devices').length > 0) {
        out.push(issue('error', E.mirrorNotSupported, [...path, 'layout']));
      }
    }
    // A CEX secure key is an s390x feature and replaces Clevis.
    if (field(luks, 'cex')['enabled'] === true) {
      if (typeof layout !== 'string') out.push(issue('error', E.cexArchitecture, [...path, 'luks', 'cex']));
      else if (!layout.startsWith('s390x')) out.push(issue('error', E.cexArchitecture, [...path, 'layout']));
      if (list(luks, 'tang').length > 0 || luks['tpm2'] === true) out.push(issue('error', E.cexWithClevis, [...path, 'luks']));
    }
    bootDeviceMirror(field(v, 'mirror'), [...path, 'mirror'], out);
  },
};

/** The checks of a variant and base version. */
function checksFor(base: BaseVersion, fcos: boolean): Partial<Record<StructName, Check>> {
  return fcos && base >= 6 ? FCOS_V6_CHECKS : CHECKS;
}

function bootDeviceMirror(v: Decoded, path: ReportPath, out: SourceIssue[]): void {
  if (list(v, 'devices').length === 1) out.push(issue('error', E.mirrorDevices, [...path, 'devices']));
}

/** A struct field of a decoded struct, empty when absent (as Go's zero value). */
function field(v: Decoded | undefined, key: string): Decoded {
  return (v?.[key] as Decoded | undefined) ?? {};
}

/** A list field of a decoded struct, empty when absent. */
function list(v: Decoded | undefined, key: string): Decoded[] {
  const x = v?.[key];
  return Array.isArray(x) ? (x as Decoded[]) : [];
}

function unitSources(v: Decoded, path: ReportPath, out: SourceIssue[]): void {
  if (v['contents'] !== undefined && v['contents_local'] !== undefined) {
    out.push(issue('error', E.tooManyUnitSources, [...path, 'contents_local']));
  }
}

/** `target`: the base version and variant whose rules apply (./variants.ts). */
export function validateSource(
  schema: Schema,
  config: Decoded,
  memory: TranslationMemory,
  target: { readonly base: BaseVersion; readonly fcos: boolean },
  inlineConfig: (inline: string, path: ReportPath) => InlineConfigIssue[] = () => [],
): SourceIssue[] {
  const out: SourceIssue[] = [];
  walk({ schema, checks: checksFor(target.base, target.fcos), memory, inlineConfig }, schema.Config, config, [], out);
  return out;
}

interface Walk {
  readonly schema: Schema;
  readonly checks: Partial<Record<StructName, Check>>;
  readonly memory: TranslationMemory;
  readonly inlineConfig: (inline: string, path: ReportPath) => InlineConfigIssue[];
}

/**
 * A shared list item that passed (an item of kindling's generated documents, the same unchanging
 * object in every node's document, as TranslationMemory.isSharedInput says) is not walked again.
 * One table per struct definition, since the same object could in principle sit in lists of
 * different types.
 */
function walkOnce(w: Walk, def: CompiledStruct, v: Decoded, path: ReportPath, out: SourceIssue[]): void {
  const { memory } = w;
  const shared = v !== null && typeof v === 'object' && memory.isSharedInput(v);
  const before = out.length;
  walk(w, def, v, path, out);
  if (shared && out.length === before) {
    let table = memory.passedSource.get(def);
    if (!table) memory.passedSource.set(def, (table = new WeakSet()));
    table.add(v);
  }
}

function walk(w: Walk, def: CompiledStruct, v: Decoded, path: ReportPath, out: SourceIssue[]): void {
  const { schema, memory } = w;
  const before = out.length;
  w.checks[def.name]?.(v, path, out);
  // Resource.Validate goes on to an inline merge/replace config when it has no other source.
  if (def.name === 'Resource' && out.length === before && path[0] === 'ignition' && path[1] === 'config' && typeof v['inline'] === 'string' && v['local'] === undefined && v['source'] === undefined) {
    out.push(...w.inlineConfig(v['inline'], path));
  }
  for (const fd of def.fields) {
    const x = v[fd.yaml];
    if (x === undefined || typeof fd.type === 'string') continue;
    if ('struct' in fd.type) {
      walk(w, schema[fd.type.struct], x as Decoded, [...path, fd.yaml], out);
    } else if (typeof fd.type.list === 'object' && 'struct' in fd.type.list) {
      const inner = schema[fd.type.list.struct];
      (x as Decoded[]).forEach((item, i) => {
        if (!memory.passedSource.get(inner)?.has(item)) walkOnce(w, inner, item, [...path, fd.yaml, i], out);
      });
    }
  }
}
