/** Pinned hashes by release URL, as read from the project's lock file (see `kindling lock`). */
interface LockedHash {
  readonly sha512?: string;
  readonly sha256?: string;
}

export type LockedHashes = ReadonlyMap<string, LockedHash>;
