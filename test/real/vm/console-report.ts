/**
 * Reads what the guest's harness-only report unit (guest/kindling-vm-report) printed on the serial
 * console: `KVM-CHECK <kind> <subject> key=value ...` lines and a final `KVM-DONE`.
 */

interface ReportLine {
  readonly kind: string;
  readonly subject: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface ConsoleReport {
  readonly done: boolean;
  readonly lines: readonly ReportLine[];
  /** The fields of the first line of this kind and subject ({} when there is none). */
  get(kind: string, subject: string): Readonly<Record<string, string>>;
  /** Every line of one kind. */
  all(kind: string): readonly ReportLine[];
}

export function parseConsoleReport(console: string): ConsoleReport {
  const lines: ReportLine[] = [];
  for (const raw of console.split(/\r?\n/)) {
    const at = raw.indexOf('KVM-CHECK ');
    if (at < 0) continue;
    const words = raw.slice(at + 'KVM-CHECK '.length).trim().split(/\s+/);
    const [kind = '', ...rest] = words;
    // The subject is the first word that is not key=value (some kinds, like `failed`, have none).
    const subject = rest[0] !== undefined && !rest[0].includes('=') ? (rest.shift() ?? '') : '';
    const fields: Record<string, string> = {};
    for (const word of rest) {
      const eq = word.indexOf('=');
      if (eq > 0) fields[word.slice(0, eq)] = word.slice(eq + 1);
    }
    lines.push({ kind, subject, fields });
  }
  return {
    done: /(^|\n)KVM-DONE\r?$/m.test(console),
    lines,
    get: (kind, subject) => lines.find((l) => l.kind === kind && l.subject === subject)?.fields ?? {},
    all: (kind) => lines.filter((l) => l.kind === kind),
  };
}
