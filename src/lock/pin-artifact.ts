/**
 * Pins one artifact: download it, check it against every checksum its upstream publishes, and
 * return the lock entry. The hash that goes into the lock file is always the one computed from the
 * bytes; published checksums can only veto it, never replace it.
 */
import { fetchArtifact } from './fetch-artifact.ts';
import type { FetchArtifactOptions, FetchedArtifact } from './fetch-artifact.ts';
import type { LockEntry } from './lockfile.ts';
import { fetchPublishedChecksum, verifyPublishedChecksums } from './published-checksum.ts';
import type { ChecksumAlgorithm, PublishedChecksum } from './published-checksum.ts';

/** Structurally a catalog entry (resolve/catalog.ts), or any URL with optional checksum files. */
export interface PinTarget {
  readonly url: string;
  readonly checksumUrls?: { readonly sha256?: string; readonly sha512?: string };
}

export interface PinResult {
  readonly entry: LockEntry;
  readonly artifact: FetchedArtifact;
  /** Published checksums that were fetched and matched. */
  readonly verifiedAgainst: readonly PublishedChecksum[];
}

/**
 * Throws ArtifactFetchError (download failed), ChecksumFileError (a checksum file is malformed or
 * does not list the asset) or ChecksumMismatchError (the bytes disagree with upstream).
 */
export async function pinArtifact(target: PinTarget, options: FetchArtifactOptions = {}): Promise<PinResult> {
  const { onProgress: _progress, keepBody: _keep, ...checksumOptions } = options;
  const published: PublishedChecksum[] = [];
  // Checksums first: they are tiny, and a wrong checksum URL should fail before a long download.
  for (const algorithm of ['sha256', 'sha512'] as const satisfies readonly ChecksumAlgorithm[]) {
    const checksumUrl = target.checksumUrls?.[algorithm];
    if (checksumUrl !== undefined) published.push(await fetchPublishedChecksum(checksumUrl, target.url, algorithm, checksumOptions));
  }
  const artifact = await fetchArtifact(target.url, options);
  verifyPublishedChecksums(artifact, published);
  return {
    entry: { url: target.url, sha256: artifact.sha256, sha512: artifact.sha512, size: artifact.size },
    artifact,
    verifiedAgainst: published,
  };
}
