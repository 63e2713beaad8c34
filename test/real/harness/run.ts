/**
 * Runs a command asynchronously and collects its output.
 *
 * Why async: the real consumers (Ignition, cloud-init's curl) fetch from an HTTP server that lives in
 * the test's own process. A synchronous spawn would block the event loop, the server would never
 * answer, and Ignition would retry forever.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RunResult {
  /** Exit code, or null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Replaces the environment entirely when given (callers spread process.env themselves). */
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string | Buffer;
  /** Hard stop: SIGKILL after this many milliseconds (a backstop; prefer `timeout` inside the command). */
  readonly killAfterMs?: number;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const killer =
      options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', (error) => {
      if (killer) clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (killer) clearTimeout(killer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
      });
    });
    child.stdin.on('error', () => {
      // The child may exit before reading its input; that is its business, not a harness failure.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Like run(), but throws with the command's output when it does not exit 0. */
export async function runChecked(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** The absolute path of an executable on PATH (or the path itself when absolute), or undefined. */
function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * Fails loudly when a real consumer is missing. These tests exist to prove output against the real
 * programs, so a missing program is a broken test machine, never a reason to skip.
 */
export function requireExecutables(names: readonly string[]): void {
  // sbin directories are not always on a test runner's PATH, but debootstrap, chroot and ip live there.
  const path = [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin'].join(delimiter);
  const missing = names.filter((name) => findExecutable(name, path) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `missing real consumer(s): ${missing.join(', ')}; install them with .ci/real-deps.sh (these tests never skip)`,
    );
  }
}

/** Tests in this folder need root: mount, chroot, unshare and Ignition's useradd --root all do. */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the real-consumer tests must run as root (mount, chroot, unshare)');
}
