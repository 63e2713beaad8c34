/**
 * Checksum files some upstreams publish next to their assets (containernetworking/plugins and the
 * flannel CNI plugin: `<asset>.sha256`, `<asset>.sha512`, in `sha256sum` output format). They are a
 * second opinion at lock time: the hash we pin is the one we computed, and it must agree.
 * Flannel itself publishes none, which is why the lock file exists at all.
 */
import { fetchArtifact } from './fetch-artifact.ts';
import type { FetchArtifactOptions, FetchedArtifact } from './fetch-artifact.ts';

export type ChecksumAlgorithm = 'sha256' | 'sha512';

interface ChecksumLine {
  /** Lower-case hex digest. */
  readonly hex: string;
  /** File name as written (without the `*` binary-mode marker). */
  readonly fileName: string;
  /** 1-based line number, for error messages. */
  readonly line: number;
}

export class ChecksumFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChecksumFileError';
  }
}

/** Thrown when the artifact's bytes disagree with the published checksum. */
export class ChecksumMismatchError extends Error {
  readonly url: string;
  readonly algorithm: ChecksumAlgorithm;
  readonly expected: string;
  readonly actual: string;
  constructor(url: string, algorithm: ChecksumAlgorithm, expected: string, actual: string, source: string) {
    super(`${url}: ${algorithm} is ${actual} but ${source} publishes ${expected}; do not pin it — the download or the release was tampered with or replaced`);
    this.name = 'ChecksumMismatchError';
    this.url = url;
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }
}

const HEX_LENGTH: Readonly<Record<ChecksumAlgorithm, number>> = { sha256: 64, sha512: 128 };

/**
 * Parses `sha256sum`/`sha512sum` output: `<hex>  <name>` (text mode) or `<hex> *<name>` (binary
 * mode), one per line; blank lines and `#` comments are skipped. Every digest must have the
 * algorithm's length.
 */
export function parseChecksumFile(text: string, algorithm: ChecksumAlgorithm): ChecksumLine[] {
  const lines: ChecksumLine[] = [];
  const hexLength = HEX_LENGTH[algorithm];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([0-9a-fA-F]+) [ *](.+)$/.exec(line);
    if (match === null) {
      throw new ChecksumFileError(`line ${index + 1} is not "<hex>  <file name>" (${algorithm}sum format)`);
    }
    const hex = (match[1] ?? '').toLowerCase();
    if (hex.length !== hexLength) {
      throw new ChecksumFileError(`line ${index + 1} has a ${hex.length}-digit digest; ${algorithm} has ${hexLength}`);
    }
    lines.push({ hex, fileName: match[2] ?? '', line: index + 1 });
  });
  if (lines.length === 0) throw new ChecksumFileError('the checksum file lists no digest');
  return lines;
}

/** The last path segment of a URL, decoded: the name a checksum file lists. */
export function assetFileName(url: string): string {
  const segment = new URL(url).pathname.split('/').at(-1) ?? '';
  return decodeURIComponent(segment);
}

/** The digest listed for `fileName` (compared by base name, as `sha256sum` may print `./name` or a path). */
export function digestFor(lines: readonly ChecksumLine[], fileName: string): string {
  const baseName = (name: string): string => name.split('/').at(-1) ?? name;
  const found = lines.filter((l) => baseName(l.fileName) === fileName);
  if (found.length === 0) {
    const listed = lines.map((l) => l.fileName).join(', ');
    throw new ChecksumFileError(`the checksum file lists no entry for ${fileName} (it lists: ${listed})`);
  }
  const distinct = new Set(found.map((l) => l.hex));
  if (distinct.size > 1) throw new ChecksumFileError(`the checksum file lists ${fileName} twice with different digests`);
  return found[0]?.hex ?? '';
}

export interface PublishedChecksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly url: string;
  readonly hex: string;
  /** The checksum file as fetched (a mirror folder keeps a copy). */
  readonly text: string;
}

/** Fetches a checksum file (same retry policy as artifacts) and returns the digest for `artifactUrl`. */
export async function fetchPublishedChecksum(
  checksumUrl: string,
  artifactUrl: string,
  algorithm: ChecksumAlgorithm,
  options: Omit<FetchArtifactOptions, 'keepBody' | 'onProgress'> = {},
): Promise<PublishedChecksum> {
  // A checksum file is a line of text; anything large is not one.
  const fetched = await fetchArtifact(checksumUrl, { maxBytes: 1024 * 1024, ...options, keepBody: true });
  const text = (fetched.body ?? Buffer.alloc(0)).toString('utf8');
  let lines: ChecksumLine[];
  try {
    lines = parseChecksumFile(text, algorithm);
    return { algorithm, url: checksumUrl, hex: digestFor(lines, assetFileName(artifactUrl)), text };
  } catch (error) {
    if (error instanceof ChecksumFileError) throw new ChecksumFileError(`${checksumUrl}: ${error.message}`);
    throw error;
  }
}

/** Throws ChecksumMismatchError on the first published digest the artifact does not match. */
export function verifyPublishedChecksums(artifact: FetchedArtifact, published: readonly PublishedChecksum[]): void {
  for (const checksum of published) {
    const actual = artifact[checksum.algorithm];
    if (actual !== checksum.hex) throw new ChecksumMismatchError(artifact.url, checksum.algorithm, checksum.hex, actual, checksum.url);
  }
}
