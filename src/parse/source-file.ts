/** A profile file as read from disk: its path (as given to the user) and its text. */
export interface SourceFile {
  /** Path as shown in diagnostics (relative to the working directory when possible). */
  readonly path: string;
  readonly text: string;
}
