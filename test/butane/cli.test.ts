/** `kindling butane` as a drop-in for the butane command (src/cli/commands/butane.ts). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { registerButaneCommand, runButane } from '../../src/cli/commands/butane.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/butane');

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), color: false } };
}

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kindling-butane-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('kindling butane', () => {
  it('prints the same stdout as butane --pretty for a fixture file', async () => {
    const { out, io } = capture();
    const code = await runButane(join(FIXTURES, '07-pretty.bu'), { pretty: true }, io);
    expect(code).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(FIXTURES, '07-pretty.ign'), 'utf8'));
    expect(out.stderr).toBe('');
  });

  it('reads stdin when no file is given and prints warnings to stderr', async () => {
    const { out, io } = capture();
    const src = readFileSync(join(FIXTURES, '11-warn-unused-decimal.bu'), 'utf8');
    const code = await runButane(undefined, {}, io, async () => src);
    expect(code).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(FIXTURES, '11-warn-unused-decimal.ign'), 'utf8'));
    expect(out.stderr).toBe(readFileSync(join(FIXTURES, '11-warn-unused-decimal.stderr'), 'utf8'));
  });

  it('exits 1 under --strict with warnings, and 1 with butane\'s error text for invalid input', async () => {
    const strict = capture();
    expect(await runButane(join(FIXTURES, '11-warn-unused-decimal.bu'), { strict: true }, strict.io)).toBe(1);
    expect(strict.out.stdout).toBe('');
    expect(strict.out.stderr.endsWith('Config produced warnings and --strict was specified\n')).toBe(true);
    const bad = capture();
    expect(await runButane(join(FIXTURES, '30-err-dups.bu'), {}, bad.io)).toBe(1);
    expect(bad.out.stderr).toBe(readFileSync(join(FIXTURES, '30-err-dups.stderr'), 'utf8'));
  });

  it('writes nothing with --check, and writes --output files readable only by the owner', async () => {
    const check = capture();
    expect(await runButane(join(FIXTURES, '03-inline-short.bu'), { check: true }, check.io)).toBe(0);
    expect(check.out.stdout).toBe('');
    const target = join(tmp, 'out.ign');
    const o = capture();
    expect(await runButane(join(FIXTURES, '03-inline-short.bu'), { output: target }, o.io)).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(FIXTURES, '03-inline-short.ign'), 'utf8'));
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('parses butane\'s short flags through commander and sets the exit code', async () => {
    const src = join(tmp, 'in.bu');
    writeFileSync(src, 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/k\n      contents:\n        local: kubeconfig\n');
    const { out, io } = capture();
    let exit = -1;
    const program = new Command('kindling').exitOverride();
    registerButaneCommand(program, io, (c) => (exit = c));
    await program.parseAsync(['butane', '-p', '-d', join(FIXTURES, 'filesdir'), '-s', src], { from: 'user' });
    expect(exit).toBe(0);
    expect(out.stdout.startsWith('{\n  "ignition": {\n    "version": "3.3.0"\n  },\n  "storage"')).toBe(true);
  });

  it('treats a second positional argument as a usage error', async () => {
    const { io } = capture();
    const program = new Command('kindling').exitOverride().configureOutput({ writeErr: () => {} });
    registerButaneCommand(program, io, () => {});
    await expect(program.parseAsync(['butane', 'a.bu', 'b.bu'], { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
  });
});
