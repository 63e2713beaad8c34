/**
 * Runs the real `ignition-validate` (Debian's Ignition 2.14.0) on a config text. Tests use it as
 * the reference consumer; it must be installed (CI installs the `ignition` package), and a
 * missing binary is an error, not a skipped test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IgnitionValidateResult {
  status: number;
  /** stdout and stderr together: the report goes to stdout, "couldn't parse config" to stderr. */
  output: string;
}

export function runIgnitionValidate(jsonText: string): IgnitionValidateResult {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-ignval-'));
  try {
    const file = join(dir, 'config.ign');
    writeFileSync(file, jsonText);
    const run = spawnSync('ignition-validate', [file], { encoding: 'utf8', timeout: 30_000 });
    if (run.error) {
      throw new Error(`ignition-validate could not run (${run.error.message}); install the Debian "ignition" package`);
    }
    return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface IgnitionValidateEntry {
  severity: 'error' | 'warning';
  /** JSON path segments, numbers for indices; [] when ignition-validate printed no path. */
  path: (string | number)[];
  message: string;
}

/** Parses ignition-validate's report lines ("error at $.a.0.b, line 1 col 2: msg"). */
export function parseIgnitionValidateOutput(output: string): IgnitionValidateEntry[] {
  const entries: IgnitionValidateEntry[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    let m = /^(error|warning) at \$((?:\.[^.,\s]+)*), line \d+ col \d+: (.*)$/.exec(line);
    if (m) {
      const path = m[2]!
        .split('.')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      entries.push({ severity: m[1] as 'error' | 'warning', path, message: m[3]! });
      continue;
    }
    m = /^(error|warning) at line \d+ col \d+: (.*)$/.exec(line) ?? /^()couldn't parse config: (.*)$/.exec(line);
    if (m) {
      entries.push({ severity: m[1] === 'warning' ? 'warning' : 'error', path: [], message: m[2]! });
      continue;
    }
    entries.push({ severity: 'error', path: [], message: line });
  }
  return entries;
}
