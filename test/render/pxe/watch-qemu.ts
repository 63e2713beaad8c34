/**
 * Runs a qemu network boot of the PXE tests and watches it: the requests the test's server saw since
 * the boot began, qemu's own exit status and its serial console, until `done` says the boot showed
 * what the test waits for, qemu ends, or two minutes pass (then qemu is killed).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Boot {
  readonly requests: string[];
  /** qemu's exit status when it ended by itself (e.g. a local disk's boot sector), else undefined. */
  readonly exitCode: number | undefined;
  /** The serial console without terminal escapes (iPXE, GRUB and OVMF write there). */
  readonly console: string;
}

export async function watchQemu(args: readonly string[], consoleFile: string, requests: readonly string[], done: (boot: Boot) => boolean): Promise<Boot> {
  const start = requests.length;
  const qemu = spawn('qemu-system-x86_64', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => qemu.on('exit', () => resolve()));
  const current = (): Boot => {
    let text = '';
    try {
      // eslint-disable-next-line no-control-regex
      text = readFileSync(consoleFile, 'latin1').replace(/\x1b\[[0-9;=?]*[A-Za-z]/g, '');
    } catch {
      // qemu has not opened it yet
    }
    return { requests: requests.slice(start), exitCode: qemu.exitCode ?? undefined, console: text };
  };
  try {
    for (let waited = 0; waited < 120_000 && qemu.exitCode === null && !done(current()); waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    if (qemu.exitCode === null) qemu.kill('SIGKILL');
  }
  await exited;
  return current();
}
