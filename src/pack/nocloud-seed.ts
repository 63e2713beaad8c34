/**
 * A cloud-init NoCloud seed image (`seed.iso`): an ISO 9660 volume labelled `cidata` with `user-data`,
 * `meta-data` and optionally `network-config` at its root — what `cloud-localds seed.iso user-data
 * meta-data` produces with `genisoimage -volid cidata -joliet -rock`, but with deterministic bytes.
 * cloud-init finds it by the label (lower-case `cidata` or upper-case `CIDATA`) and reads the files by
 * their Rock Ridge names. The bytes are passed through untouched: no validation, no compression.
 */
import { packIso9660WithDigest } from './iso9660.ts';
import type { PackMemory } from './pack-memory.ts';
import type { IsoFile } from './iso9660.ts';

const NOCLOUD_VOLUME_ID = 'cidata';

export interface NoCloudSeedFiles {
  readonly 'user-data': Uint8Array;
  readonly 'meta-data': Uint8Array;
  readonly 'network-config'?: Uint8Array;
}

/** The seed image and its SHA-256 (hex), for writers that record it (manifest.json); `memory` as packIso9660WithDigest's. */
export function packNoCloudSeedWithDigest(files: NoCloudSeedFiles, memory?: PackMemory): { image: Uint8Array; sha256: string } {
  const entries: IsoFile[] = [
    { name: 'user-data', data: files['user-data'] },
    { name: 'meta-data', data: files['meta-data'] },
  ];
  const networkConfig = files['network-config'];
  if (networkConfig !== undefined) entries.push({ name: 'network-config', data: networkConfig });
  return packIso9660WithDigest(entries, { volumeId: NOCLOUD_VOLUME_ID }, memory);
}
