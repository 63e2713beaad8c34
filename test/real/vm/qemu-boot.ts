/**
 * Boots a VM under qemu-system-x86_64 with software emulation (this host's /dev/kvm is kvm-pvm and
 * cannot run a stock kernel; real-consumers.md, harness 3) and collects its serial console.
 *
 * Always bounded: `timeout` around qemu, plus a SIGKILL backstop from here. A boot that must fail
 * (`failOn`) is watched: once the failure shows on the console the VM has `graceMs` to end by itself
 * (rd.emergency=reboot with -no-reboot makes qemu exit), else it is killed and the result says so.
 * Every qemu this module starts is killed by PID when the process exits, so a crashed test leaves
 * none behind.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireExecutables } from '../harness/run.ts';

/** A kernel booted directly by qemu; without one the NIC's option ROM (iPXE) boots from the network. */
interface DirectKernel {
  readonly kernel: string;
  readonly initrd: string;
  readonly cmdline: string;
}

export type QemuBootOptions = (DirectKernel | { readonly kernel?: undefined }) & {
  readonly disk: string;
  /** The full -netdev value (see guestfwd-relay.ts). */
  readonly netdev: string;
  /** The NIC's MAC (default: qemu's); a network boot is answered by it. */
  readonly mac?: string;
  /** Extra qemu arguments (-cdrom, -fw_cfg ...). */
  readonly extraArgs?: readonly string[];
  /** Whole-boot limit, seconds. */
  readonly timeoutSeconds?: number;
  /** The console is also written here, as it arrives (for a human reading a failed run). */
  readonly consoleLog?: string;
  /** A console line that means "this boot has failed"; see graceMs. */
  readonly failOn?: RegExp;
  /** After failOn matched, how long qemu may take to exit by itself before it is killed. */
  readonly graceMs?: number;
  readonly memoryMb?: number;
  /** vCPUs (default 1): boots run two at a time on this two-core machine, one core each. */
  readonly cpus?: number;
};

export interface QemuBoot {
  /** qemu's exit code (timeout's 124 when the limit hit), null when killed by a signal. */
  readonly code: number | null;
  readonly console: string;
  readonly ms: number;
  /** How it ended: qemu exited by itself, `timeout` stopped it, or this module killed it after failOn. */
  readonly ended: 'exited' | 'timeout' | 'killed-after-failure';
  /** ms from start to the failOn line, when it showed. */
  readonly failureAtMs?: number;
  /** ms from the failOn line to qemu's exit. */
  readonly exitAfterFailureMs?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

/** Software emulation: TCG with one thread per vCPU, `-cpu max` (KVM-only CPU models abort here). */
/**
 * Where console logs are kept after the test's scratch directory is gone, so a failed CI run can be
 * read: KINDLING_VM_LOGS, by default /var/tmp/kindling-vm-logs. One file per boot name.
 */
export function consoleLogPath(name: string): string {
  const dir = process.env.KINDLING_VM_LOGS ?? '/var/tmp/kindling-vm-logs';
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.console.log`);
}

function qemuArgs(options: QemuBootOptions): string[] {
  return [
    '-accel', 'tcg,thread=multi', '-cpu', 'max', '-smp', String(options.cpus ?? 1), '-m', String(options.memoryMb ?? 1536),
    '-display', 'none', '-vga', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
    ...(options.kernel !== undefined ? ['-kernel', options.kernel, '-initrd', options.initrd, '-append', options.cmdline] : ['-boot', 'n']),
    '-drive', `file=${options.disk},if=virtio,format=raw`,
    '-netdev', options.netdev, '-device', `virtio-net-pci,netdev=n0${options.mac !== undefined ? `,mac=${options.mac}` : ''}`,
    ...(options.extraArgs ?? []),
  ];
}

export function bootVm(options: QemuBootOptions): Promise<QemuBoot> {
  requireExecutables(['qemu-system-x86_64', 'timeout', 'python3']);
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  const started = Date.now();
  const child = spawn('timeout', ['--kill-after=10', String(timeoutSeconds), 'qemu-system-x86_64', ...qemuArgs(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const log = options.consoleLog ? createWriteStream(options.consoleLog) : undefined;
  const chunks: Buffer[] = [];
  let tail = '';
  let failureAt: number | undefined;
  let killedAfterFailure = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const backstop = setTimeout(() => child.kill('SIGKILL'), (timeoutSeconds + 30) * 1000);

  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    log?.write(chunk);
    if (!options.failOn || failureAt !== undefined) return;
    // Match across chunk boundaries without rescanning the whole console each time.
    tail = (tail + chunk.toString('utf8')).slice(-4096);
    if (options.failOn.test(tail)) {
      failureAt = Date.now();
      graceTimer = setTimeout(() => {
        killedAfterFailure = true;
        child.kill('SIGTERM');
      }, options.graceMs ?? 90_000);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      running.delete(child);
      clearTimeout(backstop);
      reject(error);
    });
    child.on('close', (code) => {
      running.delete(child);
      clearTimeout(backstop);
      if (graceTimer) clearTimeout(graceTimer);
      log?.end();
      const ended = Date.now();
      resolve({
        code,
        console: Buffer.concat(chunks).toString('utf8'),
        ms: ended - started,
        ended: killedAfterFailure ? 'killed-after-failure' : code === 124 || code === 137 ? 'timeout' : 'exited',
        ...(failureAt !== undefined ? { failureAtMs: failureAt - started, exitAfterFailureMs: ended - failureAt } : {}),
      });
    });
  });
}
