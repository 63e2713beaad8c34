/** `kindling butane` as a drop-in for the butane command (src/cli/commands/butane.ts). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('writes -o FILE 0644 from the built command, reading an fcos 1.6.0 config from stdin', () => {
    const target = join(tmp, 'subprocess.ign');
    // A shell sets the umask the way a user's login does.
    const run = spawnSync('/bin/sh', ['-c', 'umask 022 && exec "$0" "$1" butane --pretty -o "$2"', process.execPath, join(REPO, 'bin/kindling.js'), target], {
      input: readFileSync(join(FIXTURES, '66-fcos16-cex-s390x-eckd.bu')),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(FIXTURES, '66-fcos16-cex-s390x-eckd.ign'), 'utf8'));
    expect(statSync(target).mode & 0o777).toBe(0o644);
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

  it('writes nothing with --check, and writes a new --output file 0644 as butane does, less the umask', async () => {
    const check = await runCli(['butane', '--check', join(FIXTURES, '03-inline-short.bu')]);
    expect(check.status).toBe(0);
    expect(check.stdout).toBe('');
    const previous = process.umask(0o022);
    try {
      const target = join(tmp, 'out.ign');
      const written = await runCli(['butane', '--output', target, join(FIXTURES, '03-inline-short.bu')]);
      expect(written.status).toBe(0);
      expect(written.stdout).toBe('');
      expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(FIXTURES, '03-inline-short.ign'), 'utf8'));
      expect(statSync(target).mode & 0o777).toBe(0o644);
      // The umask applies, as to butane's open(..., 0644).
      process.umask(0o077);
      const private_ = join(tmp, 'private.ign');
      expect((await runCli(['butane', '-o', private_, join(FIXTURES, '03-inline-short.bu')])).status).toBe(0);
      expect(statSync(private_).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('truncates an existing -o file and keeps its mode, as butane does', async () => {
    const target = join(tmp, 'existing.ign');
    writeFileSync(target, 'x'.repeat(4096), { mode: 0o640 });
    chmodSync(target, 0o640);
    const run = await runCli(['butane', '-o', target, join(FIXTURES, '37-fcos16-min.bu')]);
    expect(run.status).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('{"ignition":{"version":"3.5.0"}}\n');
    expect(statSync(target).mode & 0o777).toBe(0o640);
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
