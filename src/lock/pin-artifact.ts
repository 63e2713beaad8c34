/**
 * Pins one artifact: download it, check it against every checksum its upstream publishes, and
 * return the lock entry. The hash that goes into the lock file is always the one computed from the
 * bytes; published checksums can only veto it, never replace it.
 *
 * A target served by a mirror is downloaded from the mirror (checksum files too) but recorded under
 * its release URL, because builds look hashes up by release URL before applying the mirror. Plain
 * http is allowed only for such a mirror marked allowHttp, and then at every hop of its downloads.
 */
import { applyMirror } from '../resolve/artifacts.ts';
import { fetchArtifact } from './fetch-artifact.ts';
import type { FetchArtifactOptions, FetchedArtifact } from './fetch-artifact.ts';
import type { LockEntry } from './lockfile.ts';
import { fetchPublishedChecksum, verifyPublishedChecksums } from './published-checksum.ts';
import type { ChecksumAlgorithm, PublishedChecksum } from './published-checksum.ts';

/** Structurally a catalog entry (resolve/catalog.ts), or any URL with optional checksum files. */
export interface PinTarget {
  readonly url: string;
  readonly checksumUrls?: { readonly sha256?: string; readonly sha512?: string };
  /** The mirror that serves this artifact instead of its release host. */
  readonly mirror?: DownloadMirror;
}

/** `downloads.mirror` of the profile. */
export interface DownloadMirror {
  readonly url: string;
  readonly allowHttp: boolean;
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
  const { mirror } = target;
  const from = (url: string): string => (mirror === undefined ? url : applyMirror(url, mirror.url));
  const fetchOptions = { ...options, allowHttp: options.allowHttp === true || mirror?.allowHttp === true };
  const { onProgress: _progress, keepBody: _keep, writeTo: _write, ...checksumOptions } = fetchOptions;
  const published: PublishedChecksum[] = [];
  // Checksums first: they are tiny, and a wrong checksum URL should fail before a long download.
  for (const algorithm of ['sha256', 'sha512'] as const satisfies readonly ChecksumAlgorithm[]) {
    const checksumUrl = target.checksumUrls?.[algorithm];
    if (checksumUrl !== undefined) published.push(await fetchPublishedChecksum(from(checksumUrl), target.url, algorithm, checksumOptions));
  }
  // The artifact as the lock file records it: under its release URL, wherever the bytes came from.
  const artifact = { ...(await fetchArtifact(from(target.url), fetchOptions)), url: target.url };
  verifyPublishedChecksums(artifact, published);
  return {
    entry: { url: target.url, sha256: artifact.sha256, sha512: artifact.sha512, size: artifact.size },
    artifact,
    verifiedAgainst: published,
  };
}
