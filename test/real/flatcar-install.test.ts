/**
 * Flatcar's two-stage install, run for real as far as a machine without a disk allows: `kindling
 * build` writes install.ign for a flatcar node with `install`; the REAL Ignition 2.14.0 applies it
 * to a scratch root (fetch, files, preset), then its installer unit runs in a chroot over Debian as
 * first boot would, fetching the node's config.ign from a server on 127.0.0.1 with curl, and calling
 * recording stand-ins for flatcar-install and systemctl. A served config.ign that differs from the
 * one the build wrote must stop the unit before flatcar-install.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { DEFAULT_NAMESPACE_PORT, runChrootSession } from './harness/chroot-session.ts';
import type { ChrootSession } from './harness/chroot-session.ts';
import { ensureDebianRoot } from './harness/debootstrap-root.ts';
import { installerStandIns, RECORDS } from './harness/flatcar-install-stand-ins.ts';
import type { StandInLayer } from './harness/flatcar-install-stand-ins.ts';
import { IGNITION_BINARY, runIgnition } from './harness/ignition-root.ts';
import type { IgnitionRun } from './harness/ignition-root.ts';
import { kindlingBuild } from './harness/kindling-project.ts';
import { requireExecutables, requireRoot, run } from './harness/run.ts';
import { findEntry } from './harness/tree-listing.ts';

const PUBLISH = `http://127.0.0.1:${DEFAULT_NAMESPACE_PORT}/lab/`;
const MIRROR = `http://127.0.0.1:${DEFAULT_NAMESPACE_PORT}/flatcar/amd64-usr`;
const CONFIG_PATH = '/lab/nodes/cp-1/config.ign';

const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('hex');

describe('Flatcar install to disk: kindling build → real Ignition applies install.ign → its unit installs', () => {
  let dir: string;
  let installIgn: string;
  let config: Buffer;
  let ignition: IgnitionRun;
  let standIns: StandInLayer;
  const sessions: ChrootSession[] = [];

  /** First boot of the PXE system: the enabled oneshot units, with `served` on the publish server. */
  async function boot(served: Record<string, Uint8Array>): Promise<ChrootSession> {
    const session = await runChrootSession({
      lowers: [ignition.root, standIns.root, await ensureDebianRoot()],
      files: served,
      port: DEFAULT_NAMESPACE_PORT,
      startUnits: 'enabled-oneshots',
    });
    sessions.push(session);
    return session;
  }

  let good: ChrootSession;
  let tampered: ChrootSession;
  let missing: ChrootSession;

  beforeAll(async () => {
    requireRoot();
    requireExecutables([IGNITION_BINARY, 'ignition-validate', 'systemctl', 'debootstrap', 'unshare']);
    await ensureDebianRoot();
    const project = exampleProject({
      'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${PUBLISH}\n`,
      'nodes/nodes.yaml': replaceOnce(
        'ip: 10.0.0.11\n',
        `ip: 10.0.0.11\ninstall: { disk: /dev/vda, flatcar: { channel: beta, version: 4081.2.0, baseURL: ${MIRROR} } }\n`,
      ),
    });
    const out = join(tempDir(), 'out');
    const built = await kindlingBuild(project, out);
    if (built.code !== 0) throw new Error(`kindling build failed (${built.code}):\n${built.stdout}${built.stderr}`);
    dir = join(out, 'lab/nodes/cp-1');
    installIgn = readFileSync(join(dir, 'install.ign'), 'utf8');
    config = readFileSync(join(dir, 'config.ign'));

    ignition = await runIgnition({ config: installIgn });
    standIns = installerStandIns();
    if (!ignition.ok) throw new Error(`Ignition failed on install.ign:\n${ignition.log}`);
    good = await boot({ [CONFIG_PATH]: config });
    // One bit of the last byte before the final newline flipped: a config.ign other than the one built.
    const changed = Buffer.concat([config.subarray(0, -2), Buffer.from([config[config.length - 2]! ^ 0x01]), config.subarray(-1)]);
    tampered = await boot({ [CONFIG_PATH]: changed });
    missing = await boot({});
  });

  afterAll(() => {
    for (const session of sessions) session.cleanup();
    ignition?.cleanup();
    standIns?.cleanup();
  });

  it('kindling build writes install.ign 0644 beside the 0600 config.ign, and ignition-validate accepts it without a message', async () => {
    expect(statSync(join(dir, 'install.ign')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'config.ign')).mode & 0o777).toBe(0o600);
    const result = await run('ignition-validate', ['-'], { input: installIgn });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.code).toBe(0);
  });

  it('the real Ignition writes the installer script (0700) and its unit, and the first-boot preset enables the unit', () => {
    expect(findEntry(ignition.listing, 'opt/kindling-install')).toMatchObject({ type: 'file', mode: 0o700 });
    expect(findEntry(ignition.listing, 'etc/systemd/system/kindling-install.service')).toMatchObject({ type: 'file' });
    expect(findEntry(ignition.listing, 'etc/systemd/system/multi-user.target.wants/kindling-install.service')).toMatchObject({ type: 'symlink' });
  });

  it('the unit fetches config.ign with curl and calls flatcar-install with exactly the disk, channel, version, mirror and fetched file', () => {
    expect(good.units.map((u) => [u.unit, u.ok])).toEqual([['kindling-install.service', true]]);
    expect(good.requests.map((r) => [r.method, r.path, r.status])).toEqual([['GET', CONFIG_PATH, 200]]);
    expect(good.requests[0]?.userAgent).toMatch(/^curl\//);
    expect(good.read(RECORDS.args).toString('utf8').split('\n')).toEqual([
      '-d', '/dev/vda', '-C', 'beta', '-V', '4081.2.0', '-b', MIRROR, '-i', '/run/kindling-install/config.ign', '',
    ]);
  });

  it('flatcar-install receives a file whose sha512 equals that of the config.ign the build wrote and served', () => {
    expect(good.read(RECORDS.configSha512).toString('utf8')).toBe(`${sha512(config)}\n`);
  });

  it('reboots after flatcar-install', () => {
    expect(good.read(RECORDS.systemctl).toString('utf8')).toBe('reboot\n');
  });

  it('a served config.ign that differs from the one built fails the unit loudly, without calling flatcar-install or rebooting', () => {
    expect(tampered.units.map((u) => [u.unit, u.ok])).toEqual([['kindling-install.service', false]]);
    const stderr = tampered.units[0]?.commands.map((c) => c.stderr).join('') ?? '';
    expect(stderr).toContain(`kindling-install: ${PUBLISH}nodes/cp-1/config.ign has sha512 `);
    expect(stderr).toContain(`but this installer was built for ${sha512(config)}; not installing`);
    expect(tampered.has(RECORDS.args)).toBe(false);
    expect(tampered.has(RECORDS.systemctl)).toBe(false);
  });

  it('a config.ign the server does not have (404) fails the unit without calling flatcar-install or rebooting', () => {
    expect(missing.units.map((u) => [u.unit, u.ok])).toEqual([['kindling-install.service', false]]);
    expect(missing.requests.map((r) => [r.path, r.status])).toEqual([[CONFIG_PATH, 404]]);
    expect(missing.has(RECORDS.args)).toBe(false);
    expect(missing.has(RECORDS.systemctl)).toBe(false);
  });
});
