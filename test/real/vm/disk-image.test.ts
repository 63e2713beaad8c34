/**
 * The disk image helpers against real e2fsprogs: what mkfs.ext4 -d copies in, debugfs reads back
 * (content, mode, owner, symlinks), and a missing path is reported as missing.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../harness/run.ts';
import { listOnDisk, makeDiskImage, readOnDisk, statOnDisk } from './disk-image.ts';

describe('disk image', () => {
  const work = mkdtempSync('/var/tmp/kindling-disk-');
  const image = join(work, 'disk.img');
  const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));

  beforeAll(async () => {
    requireRoot();
    const root = join(work, 'root');
    mkdirSync(join(root, 'etc/kubernetes'), { recursive: true });
    mkdirSync(join(root, 'opt/bin'), { recursive: true });
    writeFileSync(join(root, 'etc/kubernetes/flanneld.kubeconfig'), 'secret\n');
    chmodSync(join(root, 'etc/kubernetes/flanneld.kubeconfig'), 0o600);
    writeFileSync(join(root, 'opt/bin/flanneld'), payload);
    chmodSync(join(root, 'opt/bin/flanneld'), 0o755);
    chownSync(join(root, 'opt/bin/flanneld'), 1000, 1001);
    symlinkSync('/opt/bin/flanneld', join(root, 'opt/bin/link'));
    await makeDiskImage(root, image, '32M');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads back a file mkfs.ext4 -d copied in, byte for byte', async () => {
    expect(await readOnDisk(image, '/opt/bin/flanneld')).toEqual(payload);
  });

  it('reports type, permission bits and owner', async () => {
    expect(await statOnDisk(image, '/etc/kubernetes/flanneld.kubeconfig')).toEqual({ type: 'regular', mode: 0o600, uid: 0, gid: 0 });
    expect(await statOnDisk(image, '/opt/bin/flanneld')).toEqual({ type: 'regular', mode: 0o755, uid: 1000, gid: 1001 });
    expect(await statOnDisk(image, '/opt/bin/link')).toMatchObject({ type: 'symlink' });
    expect(await statOnDisk(image, '/opt/bin')).toMatchObject({ type: 'directory' });
  });

  it('lists a directory and says undefined for paths that are not there', async () => {
    expect((await listOnDisk(image, '/opt/bin'))?.sort()).toEqual(['flanneld', 'link']);
    expect(await statOnDisk(image, '/opt/bin/nothing')).toBeUndefined();
    expect(await readOnDisk(image, '/opt/bin/nothing')).toBeUndefined();
    expect(await listOnDisk(image, '/nothing')).toBeUndefined();
  });
});
