/**
 * The Butane parity corpus (test/fixtures/butane-parity/, see its README): a few hundred inputs
 * the differential fuzzer found kindling's translator disagreeing on, and a seeded sample of
 * generated configs, each with the real butane v0.25.1's stdout, stderr and exit code under
 * its flags. kindling must give the same bytes, so parity holds in CI without butane.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translateButane, formatButaneReport } from '../../src/butane/index.ts';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/butane-parity');
const FILES = join(CORPUS, 'files');

interface ParityCase {
  readonly name: string;
  /** butane's flags; `-d` stands for `-d files` (the corpus's files directory). */
  readonly flags: readonly string[];
  readonly input: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

const cases: ParityCase[] = readFileSync(join(CORPUS, 'cases.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as ParityCase);

/** What `kindling butane` prints and exits with, run in the corpus folder as butane was. */
function kindling(c: ParityCase): { stdout: string; stderr: string; code: number } {
  const r = translateButane(c.input, {
    pretty: c.flags.includes('-p'),
    strict: c.flags.includes('-s'),
    files: c.flags.includes('-d') ? createFsReader(FILES, readBoundedFile) : undefined,
  });
  // butane ran with `-d files` from the corpus folder: its Go errors name the folder so.
  return { stdout: r.ok ? r.output! : '', stderr: formatButaneReport(r).split(FILES).join('files'), code: r.ok ? 0 : 1 };
}

describe('the Butane parity corpus', () => {
  it('holds a few hundred cases, each with a name and butane flags kindling knows', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    for (const c of cases) expect(c.flags.every((f) => ['-p', '-s', '-d'].includes(f))).toBe(true);
  });

  it('gives butane v0.25.1 stdout, stderr and exit code for every case', () => {
    const differing = cases.filter((c) => {
      const k = kindling(c);
      return k.stdout !== c.stdout || k.stderr !== c.stderr || k.code !== c.code;
    });
    expect(differing.map((c) => ({ name: c.name, flags: c.flags, input: c.input, butane: c.stderr, kindling: kindling(c).stderr }))).toEqual([]);
  });
});
