/** `kindling butane` as a drop-in for the butane command (src/cli/commands/butane.ts). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { REPO } from '../helpers/project.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/butane');

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kindling-butane-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('kindling butane', () => {
  it('prints the same stdout as butane --pretty for a fixture file', async () => {
    const run = await runCli(['butane', '--pretty', join(FIXTURES, '07-pretty.bu')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(FIXTURES, '07-pretty.ign'), 'utf8'));
    expect(run.stderr).toBe('');
  });

  it('reads stdin when no file is given and prints warnings to stderr', () => {
    const run = spawnSync(process.execPath, [join(REPO, 'bin/kindling.js'), 'butane'], {
      input: readFileSync(join(FIXTURES, '11-warn-unused-decimal.bu')),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(FIXTURES, '11-warn-unused-decimal.ign'), 'utf8'));
    expect(run.stderr).toBe(readFileSync(join(FIXTURES, '11-warn-unused-decimal.stderr'), 'utf8'));
  });

  it("exits 1 under --strict with warnings, and 1 with butane's error text for invalid input", async () => {
    const strict = await runCli(['butane', '--strict', join(FIXTURES, '11-warn-unused-decimal.bu')]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr.endsWith('Config produced warnings and --strict was specified\n')).toBe(true);
    const bad = await runCli(['butane', join(FIXTURES, '30-err-dups.bu')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(readFileSync(join(FIXTURES, '30-err-dups.stderr'), 'utf8'));
  });

  it('writes nothing with --check, and writes --output files readable only by the owner', async () => {
    const check = await runCli(['butane', '--check', join(FIXTURES, '03-inline-short.bu')]);
    expect(check.status).toBe(0);
    expect(check.stdout).toBe('');
    const target = join(tmp, 'out.ign');
    const written = await runCli(['butane', '--output', target, join(FIXTURES, '03-inline-short.bu')]);
    expect(written.status).toBe(0);
    expect(written.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(FIXTURES, '03-inline-short.ign'), 'utf8'));
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it("takes butane's short flags", async () => {
    const src = join(tmp, 'in.bu');
    writeFileSync(src, 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/k\n      contents:\n        local: kubeconfig\n');
    const run = await runCli(['butane', '-p', '-d', join(FIXTURES, 'filesdir'), '-s', src]);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('{\n  "ignition": {\n    "version": "3.3.0"\n  },\n  "storage"')).toBe(true);
  });

  it('treats a second positional argument as a usage error', async () => {
    const run = await runCli(['butane', 'a.bu', 'b.bu']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });
});
