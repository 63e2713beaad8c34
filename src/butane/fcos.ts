/**
 * Fedora CoreOS-only sugar: `boot_device` (LUKS root and/or mirrored boot disk) and `grub`
 * (password-protected GRUB users). Each produces a generated config that is merged *before*
 * the user's entries, as Butane merges it as the parent config.
 */
import type { Decoded } from './decode.ts';
import type { ReportPath } from './report.ts';
import { makeDataUrl } from './data-url.ts';
import type { IgnitionSpecVersion } from './ignition-validator.ts';

type Obj = Record<string, unknown>;

export interface Generated {
  /** `{ storage?: {...}, systemd?: {...} }` in Ignition form and Go key order. */
  readonly config: Obj;
  /** For `section.list` keys: the input path each generated entry maps back to. */
  readonly sources: Record<string, ReportPath[]>;
  /** Fallback input path for generated entries. */
  readonly whole: ReportPath;
  /**
   * For `section.list` keys, by entry: values inside a generated entry that Butane maps to an
   * input of their own rather than to the entry's (the root LUKS device's fields).
   */
  readonly leaves?: Readonly<Record<string, readonly (readonly GeneratedLeaf[])[]>>;
}

/** A value at `at` inside a generated entry, and the input path Butane reports its problems at. */
export interface GeneratedLeaf {
  readonly at: ReportPath;
  readonly from: ReportPath;
}

const RESERVED_GUID = '8DA63339-0007-60C0-C436-083AC8230908';
const BIOS_GUID = '21686148-6449-6E6F-744E-656564454649';
const PREP_GUID = '9E1A2D38-C612-4316-AA26-8B49521E5A8B';
const ESP_GUID = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

export function bootDeviceConfig(config: Decoded, version: IgnitionSpecVersion): Generated | undefined {
  const bd = config['boot_device'] as Decoded | undefined;
  if (bd === undefined) return undefined;
  const luks = (bd['luks'] as Decoded | undefined) ?? {};
  const mirror = (bd['mirror'] as Decoded | undefined) ?? {};
  const tang = (luks['tang'] as Decoded[] | undefined) ?? [];
  const devices = (mirror['devices'] as string[] | undefined) ?? [];
  // fcos 1.6.0: a CEX secure key (s390x) instead of Clevis.
  const wantCex = (luks['cex'] as Decoded | undefined)?.['enabled'] === true;
  const wantLuks = luks['tpm2'] === true || tang.length > 0 || wantCex;
  const wantMirror = devices.length > 0;
  if (!wantLuks && !wantMirror) return undefined;
  // Validation accepted the layout; the s390x ones (fcos 1.6.0) want none of the firmware partitions.
  const layout = (bd['layout'] as string | undefined) ?? 'x86_64';
  const wantBios = layout === 'x86_64';
  const wantEfi = layout === 'x86_64' || layout === 'aarch64';
  const wantPrep = layout === 'ppc64le';
  const newerThan33 = version !== '3.3.0';

  const disks: Obj[] = [];
  const filesystems: Obj[] = [];
  const fsSources: ReportPath[] = [];
  const diskSources: ReportPath[] = [];
  let raid: Obj[] = [];
  if (wantMirror) {
    devices.forEach((device, i) => {
      const n = i + 1;
      const partitions: Obj[] = [];
      if (wantBios) partitions.push({ label: `bios-${n}`, sizeMiB: 1, typeGuid: BIOS_GUID });
      else if (wantPrep) partitions.push({ label: `prep-${n}`, sizeMiB: 4, typeGuid: PREP_GUID });
      else partitions.push({ label: `reserved-${n}`, sizeMiB: 1, typeGuid: RESERVED_GUID });
      if (wantEfi) partitions.push({ label: `esp-${n}`, sizeMiB: 127, typeGuid: ESP_GUID });
      else partitions.push({ label: `reserved-${n}`, sizeMiB: 1, typeGuid: RESERVED_GUID });
      partitions.push({ label: `boot-${n}`, sizeMiB: 384 }, { label: `root-${n}` });
      disks.push({ device, partitions, wipeTable: true });
      diskSources.push(['boot_device', 'mirror', 'devices', i]);
      if (wantEfi) {
        filesystems.push({ device: `/dev/disk/by-partlabel/esp-${n}`, format: 'vfat', label: `esp-${n}`, wipeFilesystem: true });
        fsSources.push(['boot_device', 'mirror', 'devices', i]);
      }
    });
    const members = (prefix: string) => devices.map((_d, i) => `/dev/disk/by-partlabel/${prefix}-${i + 1}`);
    raid = [
      { devices: members('boot'), level: 'raid1', name: 'md-boot', options: ['--metadata=1.0'] },
      { devices: members('root'), level: 'raid1', name: 'md-root' },
    ];
    filesystems.push({ device: '/dev/md/md-boot', format: 'ext4', label: 'boot', wipeFilesystem: true });
    fsSources.push(['boot_device', 'mirror']);
  }
  const luksOut: Obj[] = [];
  if (wantLuks) {
    // With a CEX key the entry has cex and no clevis, whatever Clevis fields the config sets.
    const entry: Obj = wantCex ? { cex: { enabled: true } } : { clevis: clevisOf(luks, version) };
    entry['device'] = luksDevice(layout, luks, wantMirror);
    if (newerThan33 && luks['discard'] !== undefined) entry['discard'] = luks['discard'];
    Object.assign(entry, { label: 'luks-root', name: 'root', wipeVolume: true });
    luksOut.push(entry);
  }
  filesystems.push({
    device: wantLuks ? '/dev/mapper/root' : '/dev/md/md-root',
    format: 'xfs',
    label: 'root',
    wipeFilesystem: true,
  });
  fsSources.push(wantLuks ? ['boot_device', 'luks'] : ['boot_device', 'mirror']);
  const storage: Obj = {};
  if (disks.length > 0) storage['disks'] = disks;
  storage['filesystems'] = filesystems;
  if (luksOut.length > 0) storage['luks'] = luksOut;
  if (raid.length > 0) storage['raid'] = raid;
  return {
    config: { storage },
    sources: {
      'storage.disks': diskSources,
      'storage.filesystems': fsSources,
      'storage.luks': [['boot_device', 'luks']],
      'storage.raid': [['boot_device', 'mirror'], ['boot_device', 'mirror']],
    },
    whole: ['boot_device'],
    leaves: { 'storage.luks': [ROOT_LUKS_LEAVES] },
  };
}

/**
 * Where Butane reports problems inside the root LUKS device: its fixed fields (an s390x device
 * named from luks.device that Ignition rejects) at boot_device.luks, its Tang servers and other
 * Clevis settings at their own keys of boot_device.luks.
 */
const ROOT_LUKS: ReportPath = ['boot_device', 'luks'];
const ROOT_LUKS_LEAVES: readonly GeneratedLeaf[] = Object.freeze([
  ...['device', 'label', 'name', 'wipeVolume'].map((field) => ({ at: [field], from: ROOT_LUKS })),
  { at: ['discard'], from: [...ROOT_LUKS, 'discard'] },
  { at: ['clevis', 'tang'], from: [...ROOT_LUKS, 'tang'] },
  { at: ['clevis', 'threshold'], from: [...ROOT_LUKS, 'threshold'] },
  { at: ['clevis', 'tpm2'], from: [...ROOT_LUKS, 'tpm2'] },
]);

function clevisOf(luks: Decoded, version: IgnitionSpecVersion): Obj {
  const tang = (luks['tang'] as Decoded[] | undefined) ?? [];
  const clevis: Obj = {};
  if (tang.length > 0) {
    clevis['tang'] = tang.map((t) => {
      const o: Obj = {};
      if (version !== '3.3.0' && t['advertisement'] !== undefined) o['advertisement'] = t['advertisement'];
      if (t['thumbprint'] !== undefined) o['thumbprint'] = t['thumbprint'];
      o['url'] = t['url'] ?? '';
      return o;
    });
  }
  if (luks['threshold'] !== undefined) clevis['threshold'] = luks['threshold'];
  if (luks['tpm2'] !== undefined) clevis['tpm2'] = luks['tpm2'];
  return clevis;
}

/** The encrypted root's device: partition 2 of a DASD, 4 of a zFCP disk, the RAID, or the root partition. */
function luksDevice(layout: string, luks: Decoded, wantMirror: boolean): string {
  if (layout === 's390x-eckd') return `${String(luks['device'])}2`;
  if (layout === 's390x-zfcp') return `${String(luks['device'])}4`;
  return wantMirror ? '/dev/md/md-root' : '/dev/disk/by-partlabel/root';
}

export function grubConfig(config: Decoded): Generated | undefined {
  const users = ((config['grub'] as Decoded | undefined)?.['users'] as Decoded[] | undefined) ?? [];
  if (users.length === 0) return undefined;
  let text = '# Generated by Butane\n\n';
  text += `set superusers="${users.map((u) => String(u['name'] ?? '')).join(' ')}"\n`;
  for (const u of users) text += `password_pbkdf2 ${String(u['name'] ?? '')} ${String(u['password_hash'] ?? '')}\n`;
  const url = makeDataUrl(new TextEncoder().encode(text), undefined);
  return {
    config: {
      storage: {
        files: [{ path: '/boot/grub2/user.cfg', append: [{ compression: url.compression, source: url.source }] }],
        filesystems: [{ device: '/dev/disk/by-label/boot', format: 'ext4', path: '/boot' }],
      },
    },
    sources: { 'storage.files': [['grub']], 'storage.filesystems': [['grub']] },
    whole: ['grub'],
  };
}
