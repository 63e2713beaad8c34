/**
 * A throwaway chroot over an overlay of read-only roots, inside fresh mount/net/uts/ipc/pid
 * namespaces with only a loopback network and a test HTTP server on it. cloud-init runs in one
 * (cloud-init-chroot.ts); Ignition's output is "booted" in one (ignition-root.ts). The overlay's
 * upper directory is exactly what the session changed; it outlives the namespace (it is a plain
 * directory) until cleanup().
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JOB_FILE, REPORT_FILE } from './chroot-job.ts';
import type { ChrootJob, ChrootReport } from './chroot-job.ts';
import { requireExecutables, run } from './run.ts';
import type { RunResult } from './run.ts';
import { listTree } from './tree-listing.ts';
import type { TreeEntry } from './tree-listing.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INNER = fileURLToPath(new URL('./chroot-inner.ts', import.meta.url));

/** The namespace has its own network, so a fixed port is safe; URLs in configs must use it. */
export const DEFAULT_NAMESPACE_PORT = 8080;

export interface ChrootSessionOptions {
  /** overlay lower layers, topmost first; the last one is the pristine base root. */
  readonly lowers: readonly string[];
  readonly files?: Readonly<Record<string, Uint8Array | string>>;
  readonly port?: number;
  readonly stepTimeoutSeconds?: number;
  readonly cloudInit?: ChrootJob['cloudInit'];
  readonly startUnits?: ChrootJob['startUnits'];
  readonly notifyUnits?: ChrootJob['notifyUnits'];
}

export interface ChrootSession extends ChrootReport {
  /** The overlay upper directory: every file the session created or changed, by node path. */
  readonly upperDir: string;
  readonly upper: readonly TreeEntry[];
  /** The `unshare` process itself (its stderr holds anything the inner half printed). */
  readonly namespace: RunResult;
  /** Host mounts under the work directory after the run (must be empty). */
  readonly mountsLeftOnHost: readonly string[];
  /** Reads a file the session created or changed (from the upper dir; path as on the node). */
  read(path: string): Buffer;
  /** True when the session created or changed `path` (symlink or not). */
  has(path: string): boolean;
  readlink(path: string): string;
  cleanup(): void;
}

export async function runChrootSession(options: ChrootSessionOptions): Promise<ChrootSession> {
  requireExecutables(['unshare', 'chroot', 'mount', 'umount', 'ip', 'timeout']);
  const work = mkdtempSync(join(tmpdir(), 'kindling-chroot-'));
  const job: ChrootJob = {
    lowers: options.lowers,
    work,
    files: Object.fromEntries(
      Object.entries(options.files ?? {}).map(([path, body]) => [path, Buffer.from(body).toString('base64')]),
    ),
    port: options.port ?? DEFAULT_NAMESPACE_PORT,
    stepTimeoutSeconds: options.stepTimeoutSeconds ?? 180,
    ...(options.cloudInit ? { cloudInit: options.cloudInit } : {}),
    ...(options.startUnits ? { startUnits: options.startUnits } : {}),
    ...(options.notifyUnits ? { notifyUnits: options.notifyUnits } : {}),
  };
  writeFileSync(join(work, JOB_FILE), JSON.stringify(job));

  const namespace = await run(
    'unshare',
    // --kill-child: if unshare itself is killed (the backstop below), the namespace's PID 1 dies too,
    // and with it every process and mount inside.
    ['--mount', '--net', '--uts', '--ipc', '--pid', '--fork', '--kill-child', '--propagation', 'private', '--',
      process.execPath, '--import', 'tsx', INNER, work],
    { cwd: REPO_ROOT, env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` }, killAfterMs: 15 * 60_000 },
  );
  const mountsLeftOnHost = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((line) => line.includes(work));

  const reportPath = join(work, REPORT_FILE);
  if (!existsSync(reportPath)) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`chroot session wrote no report (unshare exited ${namespace.code}):\n${namespace.stderr}${namespace.stdout}`);
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ChrootReport;
  if (report.harnessError !== undefined) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`chroot session harness failure:\n${report.harnessError}\n${namespace.stderr}`);
  }

  const upperDir = join(work, 'upper');
  const node = (path: string) => join(upperDir, path.replace(/^\/+/, ''));
  return {
    ...report,
    upperDir,
    upper: listTree(upperDir),
    namespace,
    mountsLeftOnHost,
    read: (path) => readFileSync(node(path)),
    has: (path) => {
      try {
        lstatSync(node(path));
        return true;
      } catch {
        return false;
      }
    },
    readlink: (path) => readlinkSync(node(path)),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
