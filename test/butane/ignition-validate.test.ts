/**
 * The real consumer: every Ignition 3.3.0 config the translator produces for the fixtures is
 * accepted by Debian's ignition-validate (Ignition 2.14.0, which predates spec 3.4.0, so
 * 3.4.0 outputs cannot be checked with it). A negative control proves the tool is really
 * judging what we give it.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { translateButane } from '../../src/butane/index.ts';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';

const DIR = join(import.meta.dirname, '../fixtures/butane');
let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kindling-ign-validate-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ignitionValidate(text: string): { status: number | null; output: string } {
  const file = join(tmp, 'config.ign');
  writeFileSync(file, text);
  const r = spawnSync('ignition-validate', [file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('ignition-validate (real Ignition 2.14.0) on translator output', () => {
  it('rejects a config with a relative path (negative control)', () => {
    const r = translateButane('variant: flatcar\nversion: 1.0.0\n');
    const broken = r.output!.replace('{"version":"3.3.0"}}', '{"version":"3.3.0"},"storage":{"files":[{"path":"rel"}]}}');
    expect(ignitionValidate(broken).status).toBe(1);
  });

  it('accepts every successful 3.3.0 fixture translation', () => {
    const checked: string[] = [];
    for (const f of readdirSync(DIR).filter((x) => x.endsWith('.bu')).sort()) {
      const name = f.slice(0, -3);
      const cmd = readFileSync(join(DIR, `${name}.cmd`), 'utf8');
      const files = cmd.includes('-d ') ? createFsReader(join(DIR, 'filesdir'), readBoundedFile) : undefined;
      const r = translateButane(readFileSync(join(DIR, f), 'utf8'), { files });
      if (!r.ok || !r.output!.includes('"version":"3.3.0"')) continue;
      const v = ignitionValidate(r.output!);
      expect(v.status, `${name}: ${v.output}`).toBe(0);
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });
});
