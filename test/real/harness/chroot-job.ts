/**
 * The contract between a chroot session's outer half (in the test process, chroot-session.ts) and its
 * inner half (chroot-inner.ts, PID 1 of fresh mount/net/uts/ipc/pid namespaces). Both import these
 * types; the job and the report travel as JSON files in the session's work directory.
 */
import type { RecordedRequest } from './http-server.ts';

interface CloudInitSeed {
  readonly userData: string;
  readonly metaData: string;
  readonly networkConfig?: string;
  /** Harness-only cloud.cfg.d content (never part of what kindling emits). */
  readonly harnessConfig: string;
}

export interface ChrootJob {
  /** overlay lower layers, topmost first (e.g. [ignition scratch root, debootstrap root]). */
  readonly lowers: readonly string[];
  /** Work directory holding upper/, ovlwork/, merged/ and the report. */
  readonly work: string;
  /** Served on 127.0.0.1:<port> inside the namespace: path → base64 bytes. */
  readonly files: Readonly<Record<string, string>>;
  readonly port: number;
  readonly stepTimeoutSeconds: number;
  /** Seeds NoCloud and runs cloud-init's four stages. */
  readonly cloudInit?: CloudInitSeed;
  /**
   * Then "boots" units the way systemd would start them on first boot, by running their Exec lines
   * in the chroot: 'enabled-oneshots' = every Type=oneshot unit linked from an /etc/systemd/system/*.wants
   * directory, in After=/Before= order; or the named units.
   */
  readonly startUnits?: 'enabled-oneshots' | readonly string[];
  /**
   * Then starts these Type=notify units' ExecStart in the chroot the way systemd would (Environment,
   * RuntimeDirectory, NOTIFY_SOCKET) and waits for READY=1 from the main process.
   */
  readonly notifyUnits?: readonly string[];
}

export interface NotifyRun {
  readonly unit: string;
  readonly argv: readonly string[];
  /** The first notification message, or undefined when none came before the timeout. */
  readonly message?: string;
  /** READY=1 arrived from the PID systemd would consider the main process (NotifyAccess=main). */
  readonly readyFromMainPid: boolean;
  /** The process was still running after READY=1 (a service, not a command that exits). */
  readonly aliveAfterReady: boolean;
  readonly stderr: string;
}

export interface StageRun {
  readonly name: string;
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface WantsLink {
  /** e.g. `multi-user.target.wants` */
  readonly dir: string;
  readonly name: string;
  readonly target: string;
}

export interface UnitCommandRun {
  readonly line: string;
  readonly argv: readonly string[];
  readonly ignoreFailure: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface UnitRun {
  readonly unit: string;
  readonly type: string;
  /** Set when a Condition*= was false: systemd would skip the unit (that is not a failure). */
  readonly skipped?: string;
  readonly commands: readonly UnitCommandRun[];
  /** Why the unit failed before any command ran (e.g. a missing EnvironmentFile). */
  readonly failure?: string;
  /** Every command without the `-` prefix exited 0 (or the unit was skipped). */
  readonly ok: boolean;
}

export interface ChrootReport {
  /** Set when the harness itself failed (a mount, the server, an unparsable unit): the rest says little then. */
  readonly harnessError?: string;
  readonly stages: readonly StageRun[];
  readonly statusLong?: StageRun;
  /** /run/cloud-init/status.json and result.json, parsed (undefined when cloud-init wrote none). */
  readonly statusJson?: unknown;
  readonly resultJson?: unknown;
  readonly units: readonly UnitRun[];
  readonly notify: readonly NotifyRun[];
  /** Symlinks under /etc/systemd/system/*.wants as the merged root shows them, after everything ran. */
  readonly wants: readonly WantsLink[];
  readonly requests: readonly RecordedRequest[];
  /** Mounts still listed under merged/ after the inner cleanup (must be empty). */
  readonly mountsLeftInside: readonly string[];
}

export const JOB_FILE = 'job.json';
export const REPORT_FILE = 'report.json';
