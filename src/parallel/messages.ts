/** What the main thread and a compile worker say to each other (structured-clone data only). */
import type { Project, ResolvedNode } from '../resolve/project-model.ts';
import type { NodeOutcome, StagedOutcome } from '../node-outcome.ts';
import type { ManifestArtifact } from '../emit/manifest.ts';
import type { WriteFailure } from './transfer.ts';

export type ToWorker =
  /** `staging`: write each node's files there and answer with what was written; else answer with the bytes. */
  | { readonly type: 'project'; readonly project: Project; readonly strict: boolean; readonly staging?: string }
  /** Nodes start..start+nodes.length-1 of the project. */
  | { readonly type: 'nodes'; readonly start: number; readonly nodes: readonly ResolvedNode[] };

export type FromWorker =
  | { readonly type: 'outcomes'; readonly start: number; readonly outcomes: readonly NodeOutcome[] }
  | { readonly type: 'staged'; readonly start: number; readonly outcomes: readonly StagedOutcome[] }
  /** A file could not be written (disk full, permissions): the build fails with emit/write-failed. */
  | WriteFailure
  /** Anything else: a bug, reported as such (the stack only under KINDLING_DEBUG). */
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string };

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
  | { readonly type: 'staging'; readonly dir: string }
  /** The files of nodes, by their index in the project. */
  | { readonly type: 'write'; readonly nodes: readonly { readonly index: number; readonly files: readonly FileToWrite[] }[] };

/** What the manifest records of a file the writer wrote. */
export type WrittenEntry = Omit<ManifestArtifact, 'node'>;

export type FromWriter =
  /** A batch is written: what the manifest needs of each node's files. */
  | { readonly type: 'written'; readonly nodes: readonly { readonly index: number; readonly entries: readonly WrittenEntry[] }[] }
  /** A batch after a failure: nothing written. */
  | { readonly type: 'skipped' }
  /** A file could not be written (disk full, permissions): the build fails with emit/write-failed. */
  | WriteFailure;
