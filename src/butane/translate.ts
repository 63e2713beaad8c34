/**
 * Desugars a decoded Butane config into Ignition (Butane's step 5), recording where each
 * generated piece came from in a TranslationSet. Generic fields are renamed and copied in Go
 * struct order; the sugar (inline/local resources, contents_local, ssh_authorized_keys_local,
 * trees, with_mount_unit, fcos boot_device and grub) has its own code below or in its module.
 */
import type { CompiledStruct, FieldDef, FieldType, Schema } from './schema.ts';
import type { Decoded } from './decode.ts';
import { TranslationSet, type ReportPath } from './report.ts';
import { makeDataUrl, type DataUrl } from './data-url.ts';
import type { TranslationMemory } from './translation-memory.ts';
import { cleanLocalPath, type LocalFileReader } from './local-files.ts';
import { BUTANE_ERRORS as E, type ButaneMessage, type ButaneReportCode } from './errors.ts';
import { mountUnit } from './mount-units.ts';
import { mergeList, type ListMerge } from './merge.ts';
import { bootDeviceConfig, grubConfig, type Generated, type GeneratedLeaf } from './fcos.ts';
import type { IgnitionIssue, IgnitionSpecVersion } from './ignition-validator.ts';

type Obj = Record<string, unknown>;

export interface TranslateIssue {
  readonly code: ButaneReportCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** YAML path, or undefined for entries Butane prints without one. */
  readonly path?: ReportPath;
  /** Set when Butane prints a fixed position instead of correlating the path. */
  readonly fixedPos?: { line: number; column: number };
}

export interface TranslateOptions {
  readonly schema: Schema;
  readonly fcos: boolean;
  readonly version: IgnitionSpecVersion;
  readonly files?: LocalFileReader;
  readonly validateIgnition: (config: unknown, version: IgnitionSpecVersion) => IgnitionIssue[];
  readonly memory: TranslationMemory;
  /**
   * Build path only: list items the memory calls shared are translated once and their (frozen)
   * output reused from `outputs`, which must belong to this target alone. Items whose
   * translation reported anything are never reused.
   */
  readonly reuse?: { readonly outputs: WeakMap<object, unknown> };
}

const utf8Decoder = new TextDecoder();
const SSH_KEY_LINES = /\r?\n/;
const RESERVED_PARTITION_NUMBERS: Record<string, number> = {
  'BIOS-BOOT': 1,
  'PowerPC-PReP-boot': 1,
  'EFI-SYSTEM': 2,
  boot: 3,
  root: 4,
};

export class Translator {
  readonly ts = new TranslationSet();
  readonly issues: TranslateIssue[] = [];

  constructor(readonly opts: TranslateOptions) {}

  error(said: ButaneMessage, path: ReportPath): void {
    this.issues.push({ code: said.code, severity: 'error', message: said.message, path });
  }

  translate(config: Decoded): Obj {
    const s = this.opts.schema;
    const out: Obj = {};
    out['ignition'] = this.ignition((config['ignition'] as Decoded | undefined) ?? {});
    for (const fd of s.Config.fields) {
      if (fd.json === undefined || fd.json === 'ignition') continue;
      const v = this.value(fd.type, fd.out, config[fd.yaml], [fd.yaml], [fd.json]);
      if (v !== undefined) out[fd.json] = v;
    }
    this.trees(config, out);
    this.mountUnits(config, out);
    // Butane's fcos translation stops after the base one when that failed.
    if (this.opts.fcos && !this.issues.some((e) => e.severity === 'error')) {
      const bd = bootDeviceConfig(config, this.opts.version);
      if (bd) this.mergeGenerated(out, bd);
      const grub = grubConfig(config);
      if (grub) this.mergeGenerated(out, grub);
      this.reservedPartitionLabels(out);
    }
    return out;
  }

  /**
   * fcos: a partition that reuses one of the OS's partition labels at another number makes
   * Ignition create a new partition instead of matching the existing one, so Butane warns
   * (unless the disk is wiped anyway).
   */
  private reservedPartitionLabels(out: Obj): void {
    const disks = ((out['storage'] as Obj | undefined)?.['disks'] as Obj[] | undefined) ?? [];
    disks.forEach((disk, i) => {
      if (disk['wipeTable'] === true) return;
      ((disk['partitions'] as Obj[] | undefined) ?? []).forEach((p, j) => {
        const label = p['label'];
        if (typeof label !== 'string') return;
        const expected = RESERVED_PARTITION_NUMBERS[label];
        if (expected !== undefined && (p['number'] ?? 0) !== expected) {
          this.issues.push({
            code: E.reservedPartitionLabel.code,
            severity: 'warning',
            message: E.reservedPartitionLabel.message,
            path: this.ts.toInput(['storage', 'disks', i, 'partitions', j, 'label']),
          });
        }
      });
    });
  }

  private ignition(v: Decoded): Obj {
    const s = this.opts.schema;
    const out = this.struct(s.Ignition, v, ['ignition'], ['ignition']);
    out['version'] = this.opts.version;
    this.ts.add(['version'], ['ignition', 'version']);
    return out;
  }

  private value(type: FieldType, mode: FieldDef['out'], x: unknown, inPath: ReportPath, outPath: ReportPath): unknown {
    if (typeof type === 'string') return scalarOut(type, mode, x);
    if ('struct' in type) {
      if (x === undefined) return undefined;
      const o = this.struct(this.opts.schema[type.struct], x as Decoded, inPath, outPath);
      return Object.keys(o).length > 0 ? o : undefined;
    }
    const arr = x as unknown[] | undefined;
    if (arr === undefined || arr.length === 0) return undefined;
    const inner = type.list;
    if (typeof inner === 'string') return arr.slice();
    const reuse = this.opts.reuse;
    if (reuse !== undefined) return arr.map((item, i) => this.reusedItem(reuse, inner, item, inPath, outPath, i));
    return arr.map((item, i) => this.value(inner, 'req', item, [...inPath, i], [...outPath, i]) ?? {});
  }

  /** Item `index` of the list at inPath/outPath (its own paths are made only when it is translated). */
  private reusedItem(reuse: NonNullable<TranslateOptions['reuse']>, type: FieldType, item: unknown, listIn: ReportPath, listOut: ReportPath, index: number): unknown {
    const key = item !== null && typeof item === 'object' && this.opts.memory.isSharedInput(item) ? item : undefined;
    if (key !== undefined) {
      // Remembered with the list type it was translated as: the same object in another list would translate otherwise.
      const known = reuse.outputs.get(key) as { type: FieldType; made: unknown } | undefined;
      if (known !== undefined && known.type === type) return known.made;
    }
    const issues = this.issues.length;
    const made = this.value(type, 'req', item, [...listIn, index], [...listOut, index]) ?? {};
    if (key !== undefined && this.issues.length === issues) reuse.outputs.set(key, { type, made: this.opts.memory.reuse(made) });
    return made;
  }

  /** The struct's fields in its JSON order, each translated. */
  private fields(def: CompiledStruct, v: Decoded, inPath: ReportPath, outPath: ReportPath): Obj {
    const out: Obj = {};
    for (const fd of def.fields) {
      if (fd.json === undefined) continue;
      const raw = v[fd.yaml];
      // Paths are only built for present structs and lists: most fields are absent or scalar.
      if (raw === undefined && fd.out !== 'req') continue;
      const x =
        typeof fd.type === 'string'
          ? scalarOut(fd.type, fd.out, raw)
          : this.value(fd.type, fd.out, raw, [...inPath, fd.yaml], [...outPath, fd.json]);
      if (x !== undefined) out[fd.json] = x;
    }
    return out;
  }

  struct(def: CompiledStruct, v: Decoded, inPath: ReportPath, outPath: ReportPath): Obj {
    if (def.name === 'Resource') return this.resource(v, inPath, outPath);
    const out = this.fields(def, v, inPath, outPath);
    if ((def.name === 'Unit' || def.name === 'Dropin') && typeof v['contents_local'] === 'string' && v['contents_local'] !== '') {
      const data = this.readLocal(v['contents_local'], [...inPath, 'contents_local']);
      if (data !== undefined) {
        this.ts.add([...inPath, 'contents_local'], [...outPath, 'contents']);
        return { contents: utf8Decoder.decode(data), ...withoutKey(out, 'contents') };
      }
    }
    if (def.name === 'PasswdUser' && Array.isArray(v['ssh_authorized_keys_local']) && v['ssh_authorized_keys_local'].length > 0) {
      return this.sshKeysLocal(def, v['ssh_authorized_keys_local'] as string[], out, inPath, outPath);
    }
    return out;
  }

  private sshKeysLocal(def: CompiledStruct, files: string[], out: Obj, inPath: ReportPath, outPath: ReportPath): Obj {
    const c = [...inPath, 'ssh_authorized_keys_local'];
    if (this.opts.files === undefined) {
      this.error(E.noFilesDir, c);
      return out;
    }
    const keys = ((out['sshAuthorizedKeys'] as string[] | undefined) ?? []).slice();
    files.forEach((file, i) => {
      const data = this.readLocal(file, [...c, i]);
      if (data === undefined) return;
      for (const line of utf8Decoder.decode(data).split(SSH_KEY_LINES)) {
        if (line === '') continue;
        this.ts.add([...c, i], [...outPath, 'sshAuthorizedKeys', keys.length]);
        keys.push(line);
      }
    });
    const ordered: Obj = {};
    for (const fd of def.fields) {
      if (fd.json === 'sshAuthorizedKeys') {
        if (keys.length > 0) ordered['sshAuthorizedKeys'] = keys;
      } else if (fd.json !== undefined && out[fd.json] !== undefined) ordered[fd.json] = out[fd.json];
    }
    return ordered;
  }

  /** translateResource: inline/local become a data URL `source` with the chosen compression. */
  private resource(v: Decoded, inPath: ReportPath, outPath: ReportPath): Obj {
    const out = this.fields(this.opts.schema.Resource, v, inPath, outPath);
    let url: DataUrl;
    let from: string;
    if (v['inline'] !== undefined) {
      from = 'inline';
      url = this.opts.memory.inlineDataUrl(v['inline'] as string, v['compression'] as string | undefined);
    } else if (v['local'] !== undefined) {
      from = 'local';
      const contents = this.readLocal(v['local'] as string, [...inPath, 'local']);
      if (contents === undefined) return out;
      url = makeDataUrl(contents, v['compression'] as string | undefined);
    } else {
      return out;
    }
    this.ts.add([...inPath, from], [...outPath, 'source']);
    if (v['compression'] === undefined) this.ts.add([...inPath, from], [...outPath, 'compression']);
    const ordered: Obj = { compression: url.compression };
    if (out['httpHeaders'] !== undefined) ordered['httpHeaders'] = out['httpHeaders'];
    ordered['source'] = url.source;
    if (out['verification'] !== undefined) ordered['verification'] = out['verification'];
    return ordered;
  }

  /** Reads a files-dir file, reporting Butane's errors at `path`. */
  readLocal(p: string, path: ReportPath): Uint8Array | undefined {
    const files = this.opts.files;
    if (files === undefined) {
      this.error(E.noFilesDir, path);
      return undefined;
    }
    const rel = cleanLocalPath(p);
    if (rel === undefined) {
      this.error(E.filesDirEscape, path);
      return undefined;
    }
    const r = files.readFile(rel);
    if (!r.ok) {
      this.error(E.localFile.with(r.error), path);
      return undefined;
    }
    return r.data;
  }

  /** storage.trees: files and symlinks under a local directory, appended in walk order. */
  private trees(config: Decoded, out: Obj): void {
    const trees = ((config['storage'] as Decoded | undefined)?.['trees'] as Decoded[] | undefined) ?? [];
    if (trees.length === 0) return;
    const storage = (out['storage'] as Obj | undefined) ?? {};
    const files = ((storage['files'] as Obj[] | undefined) ?? []).slice();
    const links = ((storage['links'] as Obj[] | undefined) ?? []).slice();
    const dirs = (storage['directories'] as Obj[] | undefined) ?? [];
    const exists = (p: string) => dirs.some((d) => d['path'] === p) || files.some((f) => f['path'] === p) || links.some((l) => l['path'] === p);
    for (let i = 0; i < trees.length; i++) {
      const tree = trees[i]!;
      const at: ReportPath = ['storage', 'trees', i];
      if (this.opts.files === undefined) {
        this.error(E.noFilesDir, at);
        break;
      }
      // Source validation has required `local` (validate-butane.ts).
      const rel = cleanLocalPath(tree['local'] as string);
      if (rel === undefined) {
        this.error(E.filesDirEscape, at);
        continue;
      }
      const listing = this.opts.files.listTree(rel);
      if (!listing.ok) {
        this.error(E.localFile.with(listing.error), at);
        continue;
      }
      const dest = typeof tree['path'] === 'string' && tree['path'] !== '' ? tree['path'] : '/';
      for (const entry of listing.entries) {
        const destPath = joinPosix(dest, entry.path);
        if (entry.kind === 'file') {
          let idx = files.findIndex((f) => f['path'] === destPath);
          const given = idx >= 0;
          let file: Obj;
          if (given) {
            file = files[idx]!;
            if ((file['contents'] as Obj | undefined)?.['source'] !== undefined) {
              this.error(E.treeNodeExists, at);
              continue;
            }
          } else {
            if (exists(destPath)) {
              this.error(E.treeNodeExists, at);
              continue;
            }
            idx = files.length;
            file = { path: destPath };
            files.push(file);
            this.ts.add(at, ['storage', 'files', idx]);
          }
          const data = this.readLocal(rel === '' ? entry.path : `${rel}/${entry.path}`, at);
          if (data === undefined) continue;
          const contents = (file['contents'] as Obj | undefined) ?? {};
          const url = makeDataUrl(data, contents['compression'] as string | undefined);
          const newContents: Obj = { compression: url.compression };
          if (contents['httpHeaders'] !== undefined) newContents['httpHeaders'] = contents['httpHeaders'];
          newContents['source'] = url.source;
          if (contents['verification'] !== undefined) newContents['verification'] = contents['verification'];
          const mode = file['mode'] ?? (entry.executable ? 0o755 : 0o644);
          files[idx] = orderFile({ ...file, contents: newContents, mode });
          if (given) {
            // A file the config lists gets its contents (and mode, unless it has one) from the tree.
            this.ts.add(at, ['storage', 'files', idx, 'contents', 'source']);
            if (contents['compression'] === undefined) this.ts.add(at, ['storage', 'files', idx, 'contents', 'compression']);
            if (file['mode'] === undefined) this.ts.add(at, ['storage', 'files', idx, 'mode']);
          }
        } else if (entry.kind === 'symlink') {
          let idx = links.findIndex((l) => l['path'] === destPath);
          if (idx >= 0) {
            if (links[idx]!['target'] !== undefined && links[idx]!['target'] !== '') {
              this.error(E.treeNodeExists, at);
              continue;
            }
            this.ts.add(at, ['storage', 'links', idx, 'target']);
          } else {
            if (exists(destPath)) {
              this.error(E.treeNodeExists, at);
              continue;
            }
            idx = links.length;
            links.push({ path: destPath });
            this.ts.add(at, ['storage', 'links', idx]);
          }
          links[idx] = orderLink({ ...links[idx]!, target: entry.target ?? '' });
        } else {
          this.error(E.treeFileType, at);
        }
      }
    }
    const next: Obj = {};
    for (const k of ['directories', 'disks', 'files', 'filesystems', 'links', 'luks', 'raid']) {
      const v = k === 'files' ? files : k === 'links' ? links : storage[k];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) next[k] = v;
    }
    setStorage(out, next);
  }

  /** with_mount_unit: generated units first, merged with the user's units of the same name. */
  private mountUnits(config: Decoded, out: Obj): void {
    const storage = config['storage'] as Decoded | undefined;
    const filesystems = (storage?.['filesystems'] as Decoded[] | undefined) ?? [];
    const luks = (storage?.['luks'] as Decoded[] | undefined) ?? [];
    const units: Obj[] = [];
    const sources: ReportPath[] = [];
    filesystems.forEach((fs, i) => {
      if (fs['with_mount_unit'] !== true) return;
      const device = (fs['device'] as string | undefined) ?? '';
      const remote = luks.some((l) => {
        const tang = (l['clevis'] as Decoded | undefined)?.['tang'] as unknown[] | undefined;
        const name = l['name'] as string | undefined;
        return !!name && !!tang && tang.length > 0 && (device === `/dev/mapper/${name}` || device === `/dev/disk/by-id/dm-name-${name}`);
      });
      const unit = mountUnit({
        device,
        format: (fs['format'] as string | undefined) ?? '',
        path: fs['path'] as string | undefined,
        mountOptions: (fs['mount_options'] as string[] | undefined) ?? [],
        remote,
      });
      units.push({ contents: unit.contents, enabled: true, name: unit.name });
      sources.push(['storage', 'filesystems', i, 'with_mount_unit']);
    });
    if (units.length === 0) return;
    this.mergeGenerated(out, { config: { systemd: { units } }, sources: { 'systemd.units': sources }, whole: [] });
  }

  /**
   * Moves the config's entries of a merged list to their new places in the translation set and
   * says where the generated ones came from, then does the same for the lists inside entries that
   * merged (the partitions of a disk both list).
   */
  private recordMerge(
    prefix: ReportPath,
    m: ListMerge,
    parent: readonly unknown[],
    child: readonly unknown[],
    sourceOf: (j: number) => ReportPath,
    leavesOf: (j: number) => readonly GeneratedLeaf[] = () => [],
  ): void {
    this.ts.remapList(prefix, m.childAt);
    m.list.forEach((_v, j) => {
      if (!m.fromParent[j]) return;
      const childIndex = m.childAt.indexOf(j);
      const generated = parent[j] as Obj;
      if (childIndex < 0) {
        this.ts.add(sourceOf(j), [...prefix, j]);
        for (const leaf of leavesOf(j)) this.ts.add(leaf.from, [...prefix, j, ...leaf.at]);
        return;
      }
      // Merged with an entry of the config: what only the generated entry has comes from its source.
      const mine = child[childIndex] as Obj;
      for (const field of Object.keys(generated)) {
        if (mine[field] === undefined) this.ts.add(sourceOf(j), [...prefix, j, field]);
      }
      for (const leaf of leavesOf(j)) {
        if (mine[leaf.at[0] as string] === undefined) this.ts.add(leaf.from, [...prefix, j, ...leaf.at]);
      }
      for (const below of m.inner.get(j) ?? []) {
        this.recordMerge([...prefix, j, ...below.path], below.merge, below.parent, below.child, () => sourceOf(j));
      }
    });
  }

  /** Merges a generated config (parent) under the translated user config (child). */
  mergeGenerated(out: Obj, gen: Generated): void {
    const s = this.opts.schema;
    for (const [section, sectionDef] of [['storage', s.Storage], ['systemd', s.Systemd]] as const) {
      const parentSection = gen.config[section] as Obj | undefined;
      if (parentSection === undefined) continue;
      const childSection = (out[section] as Obj | undefined) ?? {};
      const merged: Obj = {};
      for (const fd of sectionDef.fields) {
        if (fd.json === undefined || typeof fd.type !== 'object' || !('list' in fd.type)) continue;
        const key = `${section}.${fd.json}`;
        const generated = (parentSection[fd.json] as unknown[] | undefined) ?? [];
        const child = (childSection[fd.json] as unknown[] | undefined) ?? [];
        // Ignition merges files, directories and links by path across the three lists: a generated
        // node whose path the config gives another kind of node is dropped.
        const taken = section === 'storage' ? pathsOfOtherNodeLists(childSection, fd.json) : undefined;
        const kept = generated.map((_v, i) => i).filter((i) => !taken?.has((generated[i] as Obj)['path']));
        const parent = kept.map((i) => generated[i]);
        if (parent.length === 0) {
          if (child.length > 0) merged[fd.json] = child;
          continue;
        }
        const m = mergeList(s, fd.type.list, parent, child);
        const src = gen.sources[key] ?? [];
        const leaves = gen.leaves?.[key] ?? [];
        this.recordMerge([section, fd.json], m, parent, child, (j) => src[kept[j]!] ?? gen.whole, (j) => leaves[kept[j]!] ?? []);
        merged[fd.json] = m.list;
      }
      if (Object.keys(merged).length > 0) {
        if (section === 'storage') setStorage(out, merged);
        else setSection(out, 'systemd', merged);
      }
    }
  }
}

const NODE_LISTS = ['directories', 'files', 'links'];

/** The paths the config's other node lists (files, directories, links) hold, for list `own`; undefined for a list that is not one of them. */
function pathsOfOtherNodeLists(storage: Obj, own: string): Set<unknown> | undefined {
  if (!NODE_LISTS.includes(own)) return undefined;
  const others = NODE_LISTS.filter((name) => name !== own).flatMap((name) => (storage[name] as Obj[] | undefined) ?? []);
  return new Set(others.map((node) => node['path']));
}

/** A scalar as Go's encoder writes it: required fields always, omitempty ones when non-zero. */
function scalarOut(type: 'string' | 'int' | 'bool', mode: FieldDef['out'], x: unknown): unknown {
  if (x === undefined) return mode === 'req' ? (type === 'string' ? '' : type === 'int' ? 0 : false) : undefined;
  if (mode === 'omit' && (x === '' || x === 0 || x === false)) return undefined;
  return x;
}

function setSection(out: Obj, key: 'storage' | 'systemd', value: Obj): void {
  const order = ['ignition', 'kernelArguments', 'passwd', 'storage', 'systemd'];
  const next: Obj = {};
  for (const k of order) {
    const v = k === key ? value : out[k];
    if (v !== undefined && !(k === key && Object.keys(value).length === 0)) next[k] = v;
  }
  for (const k of Object.keys(out)) delete out[k];
  Object.assign(out, next);
}

function setStorage(out: Obj, storage: Obj): void {
  setSection(out, 'storage', storage);
}

function withoutKey(o: Obj, key: string): Obj {
  const { [key]: _drop, ...rest } = o;
  return rest;
}

const FILE_ORDER = ['group', 'overwrite', 'path', 'user', 'append', 'contents', 'mode'];
const LINK_ORDER = ['group', 'overwrite', 'path', 'user', 'hard', 'target'];

function orderFile(o: Obj): Obj {
  return orderKeys(o, FILE_ORDER);
}
function orderLink(o: Obj): Obj {
  return orderKeys(o, LINK_ORDER);
}
function orderKeys(o: Obj, order: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of order) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function joinPosix(a: string, b: string): string {
  const parts: string[] = [];
  for (const seg of `${a}/${b}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

