/**
 * Runs REAL cloud-init 22.4 (all four boot stages) on given user-data/meta-data, in a chroot over an
 * overlay of the cached debootstrap root, inside fresh namespaces with only a loopback network and the
 * test's HTTP server on it (chroot-session.ts). Optionally then "boots" the oneshot units the
 * user-data enabled (boot-units.ts), since systemd is not there to start them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianRoot } from './debootstrap-root.ts';
import { runChrootSession, DEFAULT_NAMESPACE_PORT } from './chroot-session.ts';
import type { ChrootSession } from './chroot-session.ts';
import type { ChrootJob } from './chroot-job.ts';

export { DEFAULT_NAMESPACE_PORT };

/**
 * Harness-only configuration, never part of what kindling emits: NoCloud only (no metadata-service
 * probing), no disk resizing in a chroot, and a locale debootstrap's root can actually set.
 */
const HARNESS_CLOUD_CFG = `# written by kindling's test harness, not by kindling
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
  readonly port?: number;
  /** Defaults to ensureDebianRoot(). */
  readonly lower?: string;
  readonly stageTimeoutSeconds?: number;
  /** After the stages, run these oneshot units as first boot would (see ChrootJob.startUnits). */
  readonly startUnits?: ChrootJob['startUnits'];
  /** Then start these Type=notify units and wait for READY=1 (see ChrootJob.notifyUnits). */
  readonly notifyUnits?: ChrootJob['notifyUnits'];
}

export interface CloudInitRun extends ChrootSession {
  /** Stage exit codes in order: init --local, init, modules config, modules final. */
  readonly codes: readonly (number | null)[];
  /** errors reported in status.json (`v1.<stage>.errors`), flattened. */
  readonly errors: readonly string[];
  /** cloud-init-output.log and the WARNING-or-worse lines of cloud-init.log, for failure messages. */
  readonly log: string;
}

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
  const lower = options.lower ?? (await ensureDebianRoot());
  const session = await runChrootSession({
    lowers: [lower],
    ...(options.files ? { files: options.files } : {}),
    port: options.port ?? DEFAULT_NAMESPACE_PORT,
    stepTimeoutSeconds: options.stageTimeoutSeconds ?? 180,
    cloudInit: {
      userData: options.userData,
      metaData: options.metaData,
      ...(options.networkConfig !== undefined ? { networkConfig: options.networkConfig } : {}),
      harnessConfig: HARNESS_CLOUD_CFG,
    },
    ...(options.startUnits ? { startUnits: options.startUnits } : {}),
    ...(options.notifyUnits ? { notifyUnits: options.notifyUnits } : {}),
  });
  const readIf = (path: string) => {
    const file = join(session.upperDir, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  const warnings = readIf('var/log/cloud-init.log')
    .split('\n')
    .filter((line) => /WARNING|ERROR|CRITICAL|Traceback/.test(line))
    .join('\n');
  return Object.assign(session, {
    codes: session.stages.map((stage) => stage.code),
    errors: statusErrors(session.statusJson),
    log: `--- cloud-init-output.log\n${readIf('var/log/cloud-init-output.log')}\n--- cloud-init.log (WARNING and worse)\n${warnings}`,
  });
}
