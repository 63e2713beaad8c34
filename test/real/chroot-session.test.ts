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
});
