/**
 * Runs REAL cloud-init 22.4 (all four boot stages) on given user-data/meta-data, in a chroot over an
 * overlay of the cached debootstrap root, inside fresh namespaces with only a loopback network and the
 * test's HTTP server on it. How and why: /work/shared/reference/real-consumers.md, harness 2.
 *
 * The overlay's upper directory is exactly what cloud-init changed, so tests assert on it; it
 * outlives the namespace (it is a plain directory) until cleanup().
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianRoot } from './debootstrap-root.ts';
import { JOB_FILE, REPORT_FILE } from './cloud-init-job.ts';
import type { CloudInitJob, CloudInitReport } from './cloud-init-job.ts';
import { requireExecutables, run } from './run.ts';
import type { RunResult } from './run.ts';
import { listTree } from './tree-listing.ts';
import type { TreeEntry } from './tree-listing.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INNER = fileURLToPath(new URL('./cloud-init-inner.ts', import.meta.url));

/**
 * Harness-only configuration, never part of what kindling emits: NoCloud only (no metadata-service
 * probing), no disk resizing in a chroot, and a locale debootstrap's root can actually set.
 */
export const HARNESS_CLOUD_CFG = `# written by kindling's test harness, not by kindling
datasource_list: [NoCloud, None]
resize_rootfs: false
growpart:
  mode: 'off'
locale: C.UTF-8
`;

export interface CloudInitRunOptions {
  readonly userData: string;
  readonly metaData: string;
  readonly networkConfig?: string;
  /** Served inside the namespace on http://127.0.0.1:<port>. */
  readonly files?: Readonly<Record<string, Uint8Array | string>>;
  /** The namespace has its own network, so a fixed port is safe; user-data URLs must use it. */
  readonly port?: number;
  /** Defaults to ensureDebianRoot(). */
  readonly lower?: string;
  readonly stageTimeoutSeconds?: number;
}

export interface CloudInitRun extends CloudInitReport {
  /** The overlay upper directory: every file cloud-init created or changed, by node path. */
  readonly upperDir: string;
  readonly upper: readonly TreeEntry[];
  /** The `unshare` process itself (its stderr holds anything the inner half printed). */
  readonly namespace: RunResult;
  /** Host mounts under the work directory after the run (must be empty). */
  readonly mountsLeftOnHost: readonly string[];
  /** Stage exit codes in order: init --local, init, modules config, modules final. */
  readonly codes: readonly (number | null)[];
  /** errors reported in status.json (`v1.<stage>.errors`), flattened. */
  readonly errors: readonly string[];
  /** cloud-init.log and cloud-init-output.log from the upper dir, for failure messages. */
  readonly log: string;
  /** Reads a file cloud-init wrote (from the upper dir; path as on the node). */
  read(path: string): Buffer;
  /** True when cloud-init created or changed `path` (symlink or not). */
  has(path: string): boolean;
  readlink(path: string): string;
  cleanup(): void;
}

export const DEFAULT_NAMESPACE_PORT = 8080;

function statusErrors(statusJson: unknown): string[] {
  const v1 = (statusJson as { v1?: Record<string, unknown> } | undefined)?.v1 ?? {};
  const errors: string[] = [];
  for (const [stage, value] of Object.entries(v1)) {
    const stageErrors = (value as { errors?: unknown } | null)?.errors;
    if (Array.isArray(stageErrors)) for (const e of stageErrors) errors.push(`${stage}: ${String(e)}`);
  }
  return errors;
}

export async function runCloudInit(options: CloudInitRunOptions): Promise<CloudInitRun> {
  requireExecutables(['unshare', 'chroot', 'mount', 'umount', 'ip', 'timeout']);
  const lower = options.lower ?? (await ensureDebianRoot());
  const work = mkdtempSync(join(tmpdir(), 'kindling-cloud-init-'));
  const job: CloudInitJob = {
    lower,
    work,
    userData: options.userData,
    metaData: options.metaData,
    ...(options.networkConfig !== undefined ? { networkConfig: options.networkConfig } : {}),
    files: Object.fromEntries(
      Object.entries(options.files ?? {}).map(([path, body]) => [path, Buffer.from(body).toString('base64')]),
    ),
    port: options.port ?? DEFAULT_NAMESPACE_PORT,
    harnessConfig: HARNESS_CLOUD_CFG,
    stageTimeoutSeconds: options.stageTimeoutSeconds ?? 180,
  };
  writeFileSync(join(work, JOB_FILE), JSON.stringify(job));

  const namespace = await run(
    'unshare',
    ['--mount', '--net', '--uts', '--ipc', '--pid', '--fork', '--propagation', 'private', '--',
      process.execPath, '--import', 'tsx', INNER, work],
    { cwd: REPO_ROOT, env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` }, killAfterMs: 15 * 60_000 },
  );
  const mountsLeftOnHost = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((line) => line.includes(work));

  const reportPath = join(work, REPORT_FILE);
  if (!existsSync(reportPath)) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`cloud-init harness wrote no report (unshare exited ${namespace.code}):\n${namespace.stderr}${namespace.stdout}`);
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as CloudInitReport;
  if (report.harnessError !== undefined) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`cloud-init harness failed before/around cloud-init:\n${report.harnessError}\n${namespace.stderr}`);
  }

  const upperDir = join(work, 'upper');
  const node = (path: string) => join(upperDir, path.replace(/^\/+/, ''));
  const readIf = (path: string) => (existsSync(node(path)) ? readFileSync(node(path), 'utf8') : '');
  return {
    ...report,
    upperDir,
    upper: listTree(upperDir),
    namespace,
    mountsLeftOnHost,
    codes: report.stages.map((stage) => stage.code),
    errors: statusErrors(report.statusJson),
    log: `--- cloud-init-output.log\n${readIf('/var/log/cloud-init-output.log')}\n--- cloud-init.log (WARNING and worse)\n${readIf(
      '/var/log/cloud-init.log',
    )
      .split('\n')
      .filter((line) => /WARNING|ERROR|CRITICAL|Traceback/.test(line))
      .join('\n')}`,
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
