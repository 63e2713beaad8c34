/**
 * The contract between the cloud-init harness (in the test process) and its inner half (running as
 * PID 1 of a fresh mount/net/uts/ipc/pid namespace). Both sides import these types; the job and the
 * report travel as JSON files in the run's work directory.
 */
import type { RecordedRequest } from './http-server.ts';

export interface CloudInitJob {
  /** The cached Debian root, the overlay's read-only lower layer. */
  readonly lower: string;
  /** Work directory holding upper/, ovlwork/, merged/ and the report. */
  readonly work: string;
  readonly userData: string;
  readonly metaData: string;
  readonly networkConfig?: string;
  /** Served on 127.0.0.1:<port> inside the namespace: path → base64 bytes. */
  readonly files: Readonly<Record<string, string>>;
  readonly port: number;
  readonly harnessConfig: string;
  readonly stageTimeoutSeconds: number;
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

export interface CloudInitReport {
  /** Set when the harness itself failed (a mount, the server): the stages say nothing then. */
  readonly harnessError?: string;
  readonly stages: readonly StageRun[];
  readonly statusLong?: StageRun;
  /** /run/cloud-init/status.json and result.json, parsed (undefined when cloud-init wrote none). */
  readonly statusJson?: unknown;
  readonly resultJson?: unknown;
  /** Symlinks under /etc/systemd/system/*.wants as the merged root shows them. */
  readonly wants: readonly WantsLink[];
  readonly requests: readonly RecordedRequest[];
  /** Mounts still listed under merged/ after the inner cleanup (must be empty). */
  readonly mountsLeftInside: readonly string[];
}

export const JOB_FILE = 'job.json';
export const REPORT_FILE = 'report.json';
