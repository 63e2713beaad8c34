import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aptMirror, CLOUD_INIT_ROOT_PACKAGES, ensureDebianRoot, rootKey } from './harness/debootstrap-root.ts';
import { requireExecutables, requireRoot, runChecked } from './harness/run.ts';

describe('the cached debootstrap root', () => {
  it('keys the cache on the package list, so a changed list builds a new root', () => {
    expect(rootKey('bookworm', CLOUD_INIT_ROOT_PACKAGES)).toMatch(/^[0-9a-f]{16}$/);
    expect(rootKey('bookworm', CLOUD_INIT_ROOT_PACKAGES)).toBe(rootKey('bookworm', [...CLOUD_INIT_ROOT_PACKAGES]));
    expect(rootKey('bookworm', [...CLOUD_INIT_ROOT_PACKAGES, 'openssh-server'])).not.toBe(
      rootKey('bookworm', CLOUD_INIT_ROOT_PACKAGES),
    );
  });

  it('uses the Debian mirror this machine apt is configured with', () => {
    const mirror = aptMirror('bookworm');
    expect(mirror).toMatch(/^https?:\/\/\S+\/debian$/);
  });

  // Cold, this runs debootstrap; warm, it returns at once.
  it('builds or reuses a bookworm root with cloud-init 22.4 that runs in a chroot', { timeout: 600_000 }, async () => {
    requireRoot();
    requireExecutables(['debootstrap', 'chroot']);
    const [first, second] = await Promise.all([ensureDebianRoot(), ensureDebianRoot()]);
    expect(second).toBe(first);
    expect(existsSync(`${first}.ready`)).toBe(true);
    expect(readFileSync(join(first, 'etc/debian_version'), 'utf8')).toMatch(/^12\./);
    const version = await runChecked('chroot', [first, '/usr/bin/cloud-init', '--version'], {
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
    });
    expect(`${version.stdout}${version.stderr}`).toMatch(/22\.4/);
  });
});
