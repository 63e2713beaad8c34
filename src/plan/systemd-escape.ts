/**
 * Escaping for values placed into systemd unit files (systemd.syntax(7), systemd.service(5)).
 * `%` starts a specifier everywhere, `$` starts variable expansion in Exec lines; a value with
 * whitespace or quotes must be quoted. Control characters cannot be represented and are refused
 * by validation before anything reaches here; this throws if one slips through.
 */

const NEEDS_QUOTES = /[\s"'\\;]/;

function assertPrintable(value: string): void {
  if (/[\x00-\x1f\x7f]/.test(value)) throw new Error(`refusing to place a control character into a unit file: ${JSON.stringify(value)}`);
}

/** One argument of an Exec*= line. */
export function execArg(value: string): string {
  assertPrintable(value);
  const escaped = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (!NEEDS_QUOTES.test(escaped) && escaped !== '') return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The value of an `Environment=` line: one quoted assignment (no `$` expansion happens there). */
export function environmentAssignment(name: string, value: string): string {
  assertPrintable(value);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name ${name}`);
  const assignment = `${name}=${value}`.replace(/%/g, '%%');
  if (!NEEDS_QUOTES.test(assignment)) return assignment;
  return `"${assignment.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A plain value such as Description=; only specifiers need escaping. */
export function plainValue(value: string): string {
  assertPrintable(value);
  return value.replace(/%/g, '%%');
}
