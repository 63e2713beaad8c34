/** What the main thread and the stat worker say to each other (structured-clone data only). */

/** Entries of the output to lstat(), relative to `root`. */
export interface StatRequest {
  readonly root: string;
  readonly paths: readonly string[];
}

/** Per path, STAT_FIELDS numbers: type, size, mode, inode, mtime (ms), ctime (ms), group id. */
export interface StatReply {
  readonly stats: Float64Array;
}

export const STAT_FIELDS = 7;

/** The type field: 0 when the entry does not exist. */
export const StatType = { Missing: 0, File: 1, Folder: 2, Other: 3 } as const;
