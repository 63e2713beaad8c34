/**
 * Ignition's rules for `storage`: files, directories and links (paths, modes, owners, links
 * inside link paths, hard links), and the block-device sections (disks, partitions,
 * filesystems, LUKS, RAID) as far as Ignition validates them before boot.
 */
import { IGNITION_ERRORS as E } from './errors.ts';
import { goParseUrl } from './go-url.ts';
import { goPathClean, goPathJoin } from './go-text.ts';
import {
  bool, byteLength, checkDuplicates, checkOnce, int, isObj, keyField, keySelf, list, nilOrEmpty, obj, str,
  type Obj, type Path, type Report,
} from './report.ts';
import { checkResource, sourceError } from './resource-rules.ts';
import type { IgnitionSpecVersion } from './validate.ts';


function checkMode(report: Report, path: Path, node: Obj): void {
  const mode = int(node, 'mode');
  if (mode === undefined) return;
  if (mode < 0 || mode > 0o7777) report.error([...path, 'mode'], E.modeIllegal);
  // Go tests `mode & 07000` on a 64-bit int; the low bits agree for any JS safe integer.
  if ((Number(BigInt(mode) & 0o7000n)) !== 0) report.warn([...path, 'mode'], E.modeSpecialBits);
}

function checkOwner(report: Report, path: Path, owner: Obj | undefined): void {
  if (!owner) return;
  if (owner['id'] !== undefined && owner['id'] !== null && !nilOrEmpty(str(owner, 'name'))) {
    report.error(path, E.ownerIdAndName);
  }
}

/** Node.Validate and its owner children, shared by files, directories and links. */
function checkNode(report: Report, path: Path, node: Obj): void {
  report.errorIf([...path, 'path'], report.memory.pathError(str(node, 'path') ?? ''));
  checkOwner(report, [...path, 'group'], obj(node, 'group'));
  checkOwner(report, [...path, 'user'], obj(node, 'user'));
}

function checkFile(report: Report, path: Path, file: Obj, version: IgnitionSpecVersion): void {
  checkNode(report, path, file);
  checkMode(report, path, file);
  const contents = obj(file, 'contents');
  if (bool(file, 'overwrite') === true && str(contents, 'source') === undefined) {
    report.error([...path, 'overwrite'], E.overwriteWithoutSource);
  }
  // `append` is exempt from duplicate checks: appending the same fragment twice is legitimate.
  list(file, 'append').forEach((res, i) => {
    if (isObj(res)) checkResource(report, [...path, 'append', i], res, version);
  });
  checkResource(report, [...path, 'contents'], contents, version);
}

/** Storage.Validate: relations between entries (links in paths, hard link targets). */
function checkNodeRelations(report: Report, path: Path, storage: Obj): void {
  const paths = (field: string): [number, string][] =>
    list(storage, field).flatMap((n, i): [number, string][] => (isObj(n) ? [[i, str(n, 'path') ?? '']] : []));
  const dirs = paths('directories');
  const files = paths('files');
  const links = paths('links');
  const underLink = (p: string): number => links.filter(([, l]) => p.startsWith(l + '/')).length;

  for (const [i, p] of dirs) {
    for (let k = underLink(p); k > 0; k--) report.error([...path, 'directories', i], E.directoryUnderLink);
  }
  for (const [i, p] of files) {
    for (let k = underLink(p); k > 0; k--) report.error([...path, 'files', i], E.fileUnderLink);
  }
  const linkItems = list(storage, 'links');
  for (const [i, p] of links) {
    const link = linkItems[i] as Obj;
    for (let k = underLink(p); k > 0; k--) report.error([...path, 'links', i], E.linkUnderLink);
    const target = str(link, 'target');
    if (nilOrEmpty(target)) {
      report.error([...path, 'links', i, 'target'], E.linkTargetRequired);
      continue;
    }
    if (bool(link, 'hard') !== true) continue;
    // Ignition resolves a relative hard-link target against the link path itself.
    let resolved = goPathClean(target!);
    if (!resolved.startsWith('/')) resolved = goPathJoin(p, target!);
    for (const [, d] of dirs) {
      if (resolved === d) report.error([...path, 'links', i], E.hardLinkToDirectory);
    }
    // A hard link shares the target's inode, so its own owner cannot be applied.
    for (const who of ['user', 'group'] as const) {
      const owner = obj(link, who);
      for (const field of ['id', 'name'] as const) {
        if (owner?.[field] !== undefined && owner[field] !== null) {
          report.warn([...path, 'links', i, who, field], E.hardLinkOwner);
        }
      }
    }
  }
}

/**
 * Storage.validateFilesystems: a filesystem on a whole disk the config partitions destroys the
 * partitions; one on a disk whose table is wiped is wiped too, though wipeFilesystem is unset.
 */
function checkFilesystemDisks(report: Report, path: Path, storage: Obj): void {
  // Go's map keeps the last disk listed for a device.
  const disks = new Map<unknown, Obj>();
  for (const d of list(storage, 'disks')) if (isObj(d)) disks.set(str(d, 'device') ?? '', d);
  list(storage, 'filesystems').forEach((f, i) => {
    if (!isObj(f)) return;
    const disk = disks.get(str(f, 'device') ?? '');
    if (disk === undefined) return;
    if (list(disk, 'partitions').length > 0) report.warn([...path, 'filesystems', i, 'device'], E.partitionsOverwritten);
    else if (bool(f, 'wipeFilesystem') !== true && bool(disk, 'wipeTable') === true) report.warn([...path, 'filesystems', i, 'device'], E.filesystemImplicitWipe);
  });
}

const GUID = /^(|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

function partitionKey(p: unknown): string | undefined {
  if (!isObj(p)) return undefined;
  const n = int(p, 'number') ?? 0;
  if (n !== 0) return `number:${n}`;
  const label = str(p, 'label');
  return label !== undefined ? `label:${label}` : '';
}

function checkPartition(report: Report, path: Path, p: Obj): void {
  const label = str(p, 'label');
  const set = (k: string): boolean => p[k] !== undefined && p[k] !== null;
  if (
    bool(p, 'shouldExist') === false &&
    (label !== undefined || !nilOrEmpty(str(p, 'typeGuid')) || !nilOrEmpty(str(p, 'guid')) || set('startMiB') || set('sizeMiB'))
  ) {
    report.error(path, E.partitionDeletedWithOptions);
  }
  if ((int(p, 'number') ?? 0) === 0 && label === undefined) {
    report.error(path, E.partitionUnnamed);
  }
  if (label !== undefined) {
    if (byteLength(label) > 36) report.error([...path, 'label'], E.partitionLabelTooLong);
    else if (label.includes(':')) report.error([...path, 'label'], E.partitionLabelColon);
  }
  for (const field of ['guid', 'typeGuid']) {
    const g = str(p, field);
    if (g !== undefined && !GUID.test(g)) report.error([...path, field], E.guidForm);
  }
}

/** A placed partition's first and last MiB; size 0 ("fill available") ends where it starts. */
function extent(p: Obj): [number, number] | undefined {
  const start = int(p, 'startMiB');
  const size = int(p, 'sizeMiB');
  // Start 0 lets sgdisk choose; without the disk geometry there is nothing to compare.
  if (!start || size === undefined) return undefined;
  return [start, size === 0 ? start : start + size - 1];
}

/** Ignition's partitionsOverlap: the index of the first partition found overlapping another. */
function overlapIndex(objs: readonly (readonly [number, Obj])[]): number | undefined {
  for (const [pi, p] of objs) {
    const a = extent(p);
    if (!a) continue;
    for (const [oi, o] of objs) {
      const b = extent(o);
      if (!b || oi === pi) continue;
      if ((a[0] >= b[0] && a[0] <= b[1]) || (a[1] >= b[0] && a[1] <= b[1]) || (a[0] < b[0] && a[1] > b[1])) return oi;
    }
  }
  return undefined;
}

/**
 * Disk.Validate: each cross-partition rule reports one offender only, chosen the way
 * Ignition's helpers pick it (the second holder of a number or label, the partition an
 * earlier one runs into).
 */
function checkDisk(report: Report, path: Path, disk: Obj): void {
  const parts = list(disk, 'partitions');
  checkDuplicates(report, path, [{ field: 'partitions', items: parts, key: partitionKey }]);
  const device = str(disk, 'device') ?? '';
  if (device === '') {
    report.error([...path, 'device'], E.diskDeviceRequired);
  } else {
    report.errorIf([...path, 'device'], report.memory.pathError(device));
    const objs = parts.map((p, i) => [i, p] as const).filter((e): e is readonly [number, Obj] => isObj(e[1]));
    // Ignition walks a Go map here, so with several clashing numbers it names a random one;
    // we name the second holder of the first clashing number.
    const holders = new Map<number, number[]>();
    for (const [i, p] of objs) {
      const n = int(p, 'number') ?? 0;
      if (n !== 0) holders.set(n, [...(holders.get(n) ?? []), i]);
    }
    const clash = [...holders.values()].find((h) => h.length > 1);
    if (clash) report.error([...path, 'partitions', clash[1]!], E.partitionNumbersCollide);
    const overlapAt = overlapIndex(objs);
    if (overlapAt !== undefined) report.error([...path, 'partitions', overlapAt], E.partitionsOverlap);
    // Deleting a partition while another one is only known by label is ambiguous to sgdisk.
    const anyDeleted = objs.some(([, p]) => bool(p, 'shouldExist') === false);
    const anyUnnumbered = objs.some(([, p]) => (int(p, 'number') ?? 0) === 0);
    if (anyDeleted && anyUnnumbered) {
      report.error([...path, 'partitions'], E.partitionDeletedWithZero);
    }
    const labels = new Set<string>();
    const labelClash = objs.find(([, p]) => {
      const label = str(p, 'label');
      if (label === undefined) return false;
      if (labels.has(label)) return true;
      labels.add(label);
      return false;
    });
    if (labelClash) report.error([...path, 'partitions', labelClash[0]], E.partitionLabelTwice);
  }
  parts.forEach((p, i) => {
    if (isObj(p)) checkPartition(report, [...path, 'partitions', i], p);
  });
}

const LABEL_LIMITS: Record<string, [number, string]> = {
  ext4: [16, 'ext4'], btrfs: [256, 'btrfs'], xfs: [12, 'xfs'], swap: [15, 'swap'], vfat: [11, 'vfat'],
};

function checkFilesystem(report: Report, path: Path, fs: Obj): void {
  const fsPath = str(fs, 'path');
  if (!nilOrEmpty(fsPath)) report.errorIf([...path, 'path'], report.memory.pathError(fsPath!));
  report.errorIf([...path, 'device'], report.memory.pathError(str(fs, 'device') ?? ''));
  const format = str(fs, 'format');
  if (nilOrEmpty(format)) {
    if (
      !nilOrEmpty(fsPath) || !nilOrEmpty(str(fs, 'label')) || !nilOrEmpty(str(fs, 'uuid')) ||
      bool(fs, 'wipeFilesystem') === true || list(fs, 'mountOptions').length > 0 || list(fs, 'options').length > 0
    ) {
      report.error([...path, 'format'], E.filesystemFormatEmpty);
    }
  } else if (!['ext4', 'btrfs', 'xfs', 'swap', 'vfat', 'none'].includes(format!)) {
    report.error([...path, 'format'], E.filesystemFormat);
  }
  const label = str(fs, 'label');
  const limit = format ? LABEL_LIMITS[format] : undefined;
  if (!nilOrEmpty(label) && nilOrEmpty(format)) {
    report.error([...path, 'label'], E.filesystemLabelWithoutFormat);
  } else if (!nilOrEmpty(label) && limit && byteLength(label!) > limit[0]) {
    report.error([...path, 'label'], E.filesystemLabelTooLong.with(limit[0], limit[1]));
  }
}

function checkClevis(report: Report, path: Path, clevis: Obj, version: IgnitionSpecVersion): void {
  const tang = list(clevis, 'tang');
  checkDuplicates(report, path, [{ field: 'tang', items: tang, key: keyField('url') }]);
  const custom = obj(clevis, 'custom');
  const pin = str(custom, 'pin') ?? '';
  const config = str(custom, 'config') ?? '';
  if (pin !== '' && (bool(clevis, 'tpm2') === true || (int(clevis, 'threshold') ?? 0) !== 0 || tang.length > 0)) {
    report.error(path, E.clevisCustomWithOthers);
  }
  // A custom pin is in use once any of its fields is set (needsNetwork: false is unset in Go).
  if (pin !== '' || config !== '' || bool(custom, 'needsNetwork') === true) {
    if (pin === '') report.error([...path, 'custom', 'pin'], E.clevisPinMissing);
    else if (!['tpm2', 'tang', 'sss'].includes(pin)) report.error([...path, 'custom', 'pin'], E.clevisPin);
    if (config === '') report.error([...path, 'custom', 'config'], E.clevisConfigMissing);
  }
  tang.forEach((t, i) => {
    if (!isObj(t)) return;
    const url = goParseUrl(str(t, 'url') ?? '');
    if (!url) report.error([...path, 'tang', i, 'url'], E.urlUnparsable);
    else if (url.scheme !== 'http' && url.scheme !== 'https') report.error([...path, 'tang', i, 'url'], E.urlScheme);
    if (nilOrEmpty(str(t, 'thumbprint'))) report.error([...path, 'tang', i, 'thumbprint'], E.tangThumbprintRequired);
    const ad = str(t, 'advertisement');
    if (version !== '3.3.0' && !nilOrEmpty(ad)) {
      try {
        JSON.parse(ad!);
      } catch {
        report.error([...path, 'tang', i, 'advertisement'], E.tangAdvertisement);
      }
    }
  });
}

/** Ignition's Clevis.IsPresent: a custom pin, a Tang server, tpm2 or a non-zero threshold. */
function clevisPresent(clevis: Obj | undefined): boolean {
  return !nilOrEmpty(str(obj(clevis, 'custom'), 'pin')) || list(clevis, 'tang').length > 0 || bool(clevis, 'tpm2') === true || (int(clevis, 'threshold') ?? 0) !== 0;
}

function checkLuks(report: Report, path: Path, luks: Obj, version: IgnitionSpecVersion): void {
  // Options are exempt from duplicate checks; openOptions (spec 3.4.0 on) are not.
  checkDuplicates(report, path, [{ field: 'openOptions', items: list(luks, 'openOptions'), key: keySelf }]);
  if ((str(luks, 'name') ?? '').includes('/')) report.error([...path, 'name'], E.luksNameSlash);
  const label = str(luks, 'label');
  if (label !== undefined && byteLength(label) > 47) {
    report.error([...path, 'label'], E.luksLabelTooLong);
  }
  const device = str(luks, 'device');
  if (nilOrEmpty(device)) report.error([...path, 'device'], E.diskDeviceRequired);
  else report.errorIf([...path, 'device'], report.memory.pathError(device!));
  const keyFile = obj(luks, 'keyFile');
  if (sourceError(keyFile, version, report.memory)) report.error([...path, 'keys'], E.luksKeyFile);
  const clevis = obj(luks, 'clevis');
  // Spec 3.5.0: a CEX secure key replaces Clevis and key files, which the schemas before it lack.
  if (bool(obj(luks, 'cex'), 'enabled') === true) {
    if (clevisPresent(clevis)) report.error([...path, 'cex'], E.cexWithClevis);
    if (!nilOrEmpty(str(keyFile, 'source'))) report.error([...path, 'cex'], E.cexWithKeyFile);
  }
  if (clevis) checkClevis(report, [...path, 'clevis'], clevis, version);
  checkResource(report, [...path, 'keyFile'], keyFile, version);
}

const RAID_LEVELS = ['linear', 'raid0', '0', 'stripe', 'raid1', '1', 'mirror', 'raid4', '4', 'raid5', '5', 'raid6', '6', 'raid10', '10'];

function checkRaid(report: Report, path: Path, raid: Obj): void {
  const devices = list(raid, 'devices');
  // Options are exempt from duplicate checks (mdadm options may repeat).
  checkDuplicates(report, path, [{ field: 'devices', items: devices, key: keySelf }]);
  const level = str(raid, 'level');
  if (nilOrEmpty(level)) report.error([...path, 'level'], E.raidLevelRequired);
  else if (!RAID_LEVELS.includes(level!)) report.error([...path, 'level'], E.raidLevel);
  else if (['linear', 'raid0', '0', 'stripe'].includes(level!) && (int(raid, 'spares') ?? 0) !== 0) {
    report.error([...path, 'level'], E.raidSpares);
  }
  devices.forEach((d, i) => {
    if (typeof d === 'string') report.errorIf([...path, 'devices', i], report.memory.pathError(d));
  });
  if (devices.length === 0) report.error([...path, 'devices'], E.raidDevicesRequired);
}

export function checkStorage(report: Report, path: Path, storage: Obj | undefined, version: IgnitionSpecVersion): void {
  if (!storage) return;
  const items = (field: string): unknown[] => list(storage, field);
  // Go field order: Directories, Disks, Files, Filesystems, Links, Luks, Raid; the three node
  // kinds share one namespace, so a file at a directory's path is the duplicate.
  checkDuplicates(report, path, [
    { field: 'directories', items: items('directories'), key: keyField('path') },
    { field: 'files', items: items('files'), key: keyField('path') },
    { field: 'links', items: items('links'), key: keyField('path') },
  ]);
  checkDuplicates(report, path, [{ field: 'disks', items: items('disks'), key: keyField('device') }]);
  checkDuplicates(report, path, [{ field: 'filesystems', items: items('filesystems'), key: keyField('device') }]);
  checkDuplicates(report, path, [{ field: 'luks', items: items('luks'), key: keyField('name') }]);
  checkDuplicates(report, path, [{ field: 'raid', items: items('raid'), key: keyField('name') }]);
  checkNodeRelations(report, path, storage);
  checkFilesystemDisks(report, path, storage);

  const passed = report.memory.passedEntries(version);
  items('directories').forEach((d, i) => {
    if (!isObj(d)) return;
    checkOnce(passed.directories, d, report, () => {
      checkNode(report, [...path, 'directories', i], d);
      checkMode(report, [...path, 'directories', i], d);
    });
  });
  items('disks').forEach((d, i) => isObj(d) && checkDisk(report, [...path, 'disks', i], d));
  items('files').forEach((f, i) => isObj(f) && checkOnce(passed.files, f, report, () => checkFile(report, [...path, 'files', i], f, version)));
  items('filesystems').forEach((f, i) => isObj(f) && checkFilesystem(report, [...path, 'filesystems', i], f));
  items('links').forEach((l, i) => isObj(l) && checkOnce(passed.links, l, report, () => checkNode(report, [...path, 'links', i], l)));
  items('luks').forEach((l, i) => isObj(l) && checkLuks(report, [...path, 'luks', i], l, version));
  items('raid').forEach((r, i) => isObj(r) && checkRaid(report, [...path, 'raid', i], r));
}
