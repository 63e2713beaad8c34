/** What the main thread and the write worker say to each other (structured-clone data only). */
import type { StagedEntry } from '../../emit/write-output.ts';
import type { WriteFailure } from './transfer.ts';
import type { OutputAccess } from '../../delivery/output-layout.ts';

/** One file for the write worker: its path below the staging folder, its text or bytes (moved, not copied) and mode. */
export interface FileToWrite {
  readonly path: string;
  readonly kind: string;
  readonly data: string | Uint8Array;
  readonly mode: number;
  /** SHA-256 of the bytes when already known; the writer computes it otherwise. */
  readonly sha256?: string;
}

export type ToWriter =
  /** Where to write, and who may read it (the layout's modes and group follow from it). */
  | { readonly type: 'staging'; readonly dir: string; readonly access: OutputAccess }
  /** The files of nodes, by their index in the project. */
  | { readonly type: 'write'; readonly nodes: readonly { readonly index: number; readonly files: readonly FileToWrite[] }[] };

/** What the manifest records of a file the writer wrote, and its mode. */
export type WrittenEntry = StagedEntry;

export type FromWriter =
  /** A batch is written: what the manifest needs of each node's files. */
  | { readonly type: 'written'; readonly nodes: readonly { readonly index: number; readonly entries: readonly WrittenEntry[] }[] }
  /** A batch after a failure: nothing written. */
  | { readonly type: 'skipped' }
  /** A file could not be written (disk full, permissions): the build fails with emit/write-failed. */
  | WriteFailure;
