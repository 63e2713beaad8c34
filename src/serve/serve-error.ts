/** Why `kindling serve` cannot start: what is wrong and what to do, for the CLI to print (no stack). */
export class ServeError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'ServeError';
    this.hint = hint;
  }
}
