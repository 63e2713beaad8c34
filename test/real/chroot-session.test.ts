import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChrootSession } from './harness/chroot-session.ts';
import { ensureDebianRoot } from './harness/debootstrap-root.ts';
import { requireExecutables, requireRoot } from './harness/run.ts';

const sessionDirs = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('kindling-chroot-')));
const hostMounts = () => readFileSync('/proc/mounts', 'utf8').split('\n').filter((line) => line.includes('kindling-chroot-'));

describe('the chroot session', () => {
  let base: string;
  beforeAll(async () => {
    requireRoot();
    requireExecutables(['unshare', 'debootstrap']);
    base = await ensureDebianRoot();
  });

  it('throws with the cause and leaves no mount and no directory behind when the harness itself fails', async () => {
    const before = sessionDirs();
    await expect(runChrootSession({ lowers: ['/nonexistent-kindling-lower', base] })).rejects.toThrow(/harness failure[\s\S]*mount/);
    expect(hostMounts()).toEqual([]);
    expect([...sessionDirs()].filter((name) => !before.has(name))).toEqual([]);
  });

  it('stops a unit that hangs with the step timeout and reports it as failed', async () => {
    const hang = `[Service]\nType=oneshot\nExecStart=/bin/sleep 600\n`;
    const layer = mkdtempSync(join(tmpdir(), 'kindling-layer-'));
    try {
      mkdirSync(join(layer, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
      writeFileSync(join(layer, 'etc/systemd/system/hang.service'), hang);
      symlinkSync('/etc/systemd/system/hang.service', join(layer, 'etc/systemd/system/multi-user.target.wants/hang.service'));
      const session = await runChrootSession({ lowers: [layer, base], startUnits: 'enabled-oneshots', stepTimeoutSeconds: 2 });
      try {
        expect(session.units.map((u) => [u.unit, u.ok, u.commands[0]?.code])).toEqual([['hang.service', false, 124]]);
        expect(session.mountsLeftInside).toEqual([]);
        expect(session.mountsLeftOnHost).toEqual([]);
      } finally {
        session.cleanup();
      }
    } finally {
      rmSync(layer, { recursive: true, force: true });
    }
  });

  it('tells a notify unit whose main process sends READY=1 from one whose child does, or that never does', async () => {
    const send = `import os, socket, time; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.connect(os.environ["NOTIFY_SOCKET"]); s.sendall(b"READY=1"); time.sleep(30)`;
    const units: Record<string, string> = {
      // exec: python replaces the shell, so the sender is the main PID.
      'good.service': `[Service]\nType=notify\nRuntimeDirectory=good\nEnvironment=CODE='${send}'\nExecStart=/bin/sh -c 'test -d /run/good && exec python3 -c "$CODE"'\n`,
      // no exec: python is the shell's child; systemd (NotifyAccess=main) would ignore it.
      'child.service': `[Service]\nType=notify\nEnvironment=CODE='${send}'\nExecStart=/bin/sh -c 'python3 -c "$CODE"; true'\n`,
      'silent.service': `[Service]\nType=notify\nExecStart=/bin/sleep 30\n`,
    };
    const layer = mkdtempSync(join(tmpdir(), 'kindling-layer-'));
    try {
      mkdirSync(join(layer, 'etc/systemd/system'), { recursive: true });
      for (const [name, text] of Object.entries(units)) writeFileSync(join(layer, 'etc/systemd/system', name), text);
      const session = await runChrootSession({ lowers: [layer, base], notifyUnits: Object.keys(units), stepTimeoutSeconds: 3 });
      try {
        expect(session.notify.map((n) => [n.unit, n.message, n.readyFromMainPid])).toEqual([
          ['good.service', 'READY=1', true],
          ['child.service', 'READY=1', false],
          ['silent.service', undefined, false],
        ]);
      } finally {
        session.cleanup();
      }
    } finally {
      rmSync(layer, { recursive: true, force: true });
    }
  });
});
