/**
 * Runs the real Debian tools (cpio, gunzip, isoinfo, xorriso, blkid, isovfy) against packed bytes.
 * A missing tool fails the test with the package to install: these tests exist to prove that real
 * readers accept the bytes, so skipping would hide exactly what they check.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.ts';

const PACKAGE_OF: Record<string, string> = {
  cpio: 'cpio',
  gunzip: 'gzip',
  isoinfo: 'genisoimage',
  isovfy: 'genisoimage',
  xorriso: 'xorriso',
  blkid: 'util-linux',
};

export interface ToolResult {
  readonly stdout: Buffer;
  readonly stderr: string;
}

export function runTool(
  command: string,
  args: readonly string[],
  options: { input?: Uint8Array; cwd?: string } = {},
): ToolResult {
  const result = spawnSync(command, args, {
    input: options.input,
    cwd: options.cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' },
  });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `${command} is not installed: apt-get install ${PACKAGE_OF[command] ?? command}`
        : `${command} failed to start: ${result.error.message}`,
    );
  }
  const stderr = result.stderr.toString('utf8');
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${String(result.status)}: ${stderr}`);
  }
  return { stdout: result.stdout, stderr };
}

export function runText(command: string, args: readonly string[], options: { input?: Uint8Array; cwd?: string } = {}): string {
  return runTool(command, args, options).stdout.toString('utf8');
}

/** A scratch directory for one test file; returns it and a cleanup function. */
export function scratchDirectory(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `kindling-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeScratch(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Reproducible filler bytes (a small LCG), so failures replay exactly. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** A short fingerprint for comparing large byte arrays (vitest diffs of megabytes are slow and unreadable). */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The diagnostic code a packer refused with, or undefined when it did not refuse. */
export function refusalCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DiagnosticError) return error.diagnostics[0]?.code;
    throw error;
  }
  return undefined;
}
