/**
 * Proves the cloud-init harness on a hand-written cloud-config: real cloud-init 22.4 writes a 0600
 * file, creates a user with an ssh key, downloads the stand-in flanneld from the test server inside
 * the namespace, checks its sha512 and enables a unit; and leaves no mount behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCloudInit, DEFAULT_NAMESPACE_PORT } from './harness/cloud-init-chroot.ts';
import type { CloudInitRun } from './harness/cloud-init-chroot.ts';
import { ensureDebianRoot } from './harness/debootstrap-root.ts';
import { flannelCniPluginStandIn, flanneldStandIn } from './harness/stand-ins.ts';
import { findEntry, formatListing, octal } from './harness/tree-listing.ts';
import { requireExecutables, requireRoot } from './harness/run.ts';

const flanneld = flanneldStandIn();
const cni = flannelCniPluginStandIn();
const sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKindlingHarnessTestKeyOnlyNotARealOne0000000 ops@example';
const url = `http://127.0.0.1:${DEFAULT_NAMESPACE_PORT}/flanneld-amd64`;

function userData(sha512: string): string {
  return `#cloud-config
users:
  - default
  - name: core
    shell: /bin/sh
    ssh_authorized_keys:
      - ${sshKey}
write_files:
  - path: /etc/kubernetes/flanneld.kubeconfig
    permissions: '0600'
    owner: root:root
    content: |
      apiVersion: v1
      kind: Config
  - path: /etc/systemd/system/flanneld.service
    permissions: '0644'
    content: |
      [Unit]
      Description=flannel (stand-in)
      [Service]
      Type=notify
      ExecStart=/usr/local/bin/flanneld --kube-subnet-mgr
      [Install]
      WantedBy=multi-user.target
  - path: /etc/systemd/system/harness-fetch.service
    permissions: '0644'
    content: |
      [Unit]
      Description=download the CNI stand-in at first boot (harness test)
      ConditionPathExists=!/opt/cni/bin/flannel
      [Service]
      Type=oneshot
      ExecStart=/usr/bin/install -d /opt/cni/bin
      ExecStart=/usr/bin/curl -fsS --retry 3 -o /opt/cni/bin/flannel http://127.0.0.1:${DEFAULT_NAMESPACE_PORT}/flannel-amd64
      ExecStart=/bin/chmod 0755 /opt/cni/bin/flannel
      [Install]
      WantedBy=multi-user.target
runcmd:
  - set -e
  - curl -fsS --retry 3 -o /tmp/flanneld ${url}
  - echo '${sha512}  /tmp/flanneld' | sha512sum -c --strict
  - install -m 0755 /tmp/flanneld /usr/local/bin/flanneld
  - systemctl enable flanneld.service harness-fetch.service
`;
}
const metaData = 'instance-id: iid-kindling-harness-1\nlocal-hostname: node-harness-1\n';

describe('the real cloud-init harness', () => {
  let good: CloudInitRun;
  let badHash: CloudInitRun;

  beforeAll(async () => {
    requireRoot();
    requireExecutables(['cloud-init', 'debootstrap', 'unshare']);
    await ensureDebianRoot();
    const files = { '/flanneld-amd64': flanneld.bytes, '/flannel-amd64': cni.bytes };
    good = await runCloudInit({ userData: userData(flanneld.sha512), metaData, files, startUnits: 'enabled-oneshots', notifyUnits: ['flanneld.service'] });
    badHash = await runCloudInit({ userData: userData(flanneldStandIn('v0.0.0-other').sha512), metaData, files });
  });
  afterAll(() => {
    good?.cleanup();
    badHash?.cleanup();
  });

  it('runs all four stages cleanly and reports done with no errors', () => {
    expect(good.codes, good.log).toEqual([0, 0, 0, 0]);
    expect(good.errors, good.log).toEqual([]);
    expect(good.statusLong?.stdout).toMatch(/status: done/);
    expect(good.statusLong?.stdout).toContain('DataSourceNoCloud');
    expect(good.resultJson).toMatchObject({ v1: { errors: [], datasource: expect.stringContaining('DataSourceNoCloud') } });
    expect(good.statusJson).toMatchObject({ v1: { 'modules-final': { errors: [] } } });
  });

  it('writes the 0600 file owned by root', () => {
    const entry = findEntry(good.upper, 'etc/kubernetes/flanneld.kubeconfig');
    expect(entry, formatListing(good.upper)).toMatchObject({ type: 'file', uid: 0, gid: 0 });
    expect(octal(entry?.mode ?? 0)).toBe('0600');
    expect(good.read('/etc/kubernetes/flanneld.kubeconfig').toString()).toBe('apiVersion: v1\nkind: Config\n');
  });

  it('creates the user with its ssh key', () => {
    const passwd = good.read('/etc/passwd').toString();
    const line = passwd.split('\n').find((l) => l.startsWith('core:'));
    expect(line).toBeDefined();
    const [, , uid, gid, , home] = line?.split(':') ?? [];
    const keys = findEntry(good.upper, `${home?.slice(1)}/.ssh/authorized_keys`);
    expect(keys).toMatchObject({ type: 'file', uid: Number(uid), gid: Number(gid) });
    expect(octal(keys?.mode ?? 0)).toBe('0600');
    expect(good.read(`${home}/.ssh/authorized_keys`).toString()).toContain(sshKey);
  });

  it('downloads the binary from the server in the namespace, verified and executable', () => {
    expect(good.requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/flanneld-amd64', status: 200 }));
    expect(good.read('/usr/local/bin/flanneld').equals(flanneld.bytes)).toBe(true);
    expect(octal(findEntry(good.upper, 'usr/local/bin/flanneld')?.mode ?? 0)).toBe('0755');
  });

  it('enables the unit with a multi-user.target.wants symlink', () => {
    expect(good.wants).toContainEqual({
      dir: 'multi-user.target.wants',
      name: 'flanneld.service',
      target: '/etc/systemd/system/flanneld.service',
    });
  });

  it('then boots the enabled oneshot unit (and only that one), which downloads into the root', () => {
    expect(good.units.map((u) => [u.unit, u.ok])).toEqual([['harness-fetch.service', true]]);
    expect(good.read('/opt/cni/bin/flannel').equals(cni.bytes)).toBe(true);
    expect(octal(findEntry(good.upper, 'opt/cni/bin/flannel')?.mode ?? 0)).toBe('0755');
    expect(good.requests.map((r) => r.path)).toContain('/flannel-amd64');
  });

  it('starts flanneld.service as systemd would and gets READY=1 from its main process', () => {
    expect(good.notify.map((n) => [n.unit, n.message?.split('\n')[0], n.readyFromMainPid, n.aliveAfterReady])).toEqual([
      ['flanneld.service', 'READY=1', true, true],
    ]);
    expect(good.notify[0]?.argv).toEqual(['/usr/local/bin/flanneld', '--kube-subnet-mgr']);
  });

  it('leaves nothing mounted, inside the namespace or on the host', () => {
    for (const r of [good, badHash]) {
      expect(r.mountsLeftInside).toEqual([]);
      expect(r.mountsLeftOnHost).toEqual([]);
    }
  });

  it('reports an error, installs nothing and enables nothing when the hash is wrong', () => {
    expect(badHash.codes.slice(0, 3)).toEqual([0, 0, 0]);
    expect(badHash.codes[3]).not.toBe(0);
    expect(badHash.errors.join('\n')).toMatch(/runcmd|scripts-user/);
    expect(badHash.statusLong?.stdout).toMatch(/status: error/);
    expect((badHash.resultJson as { v1?: { errors?: unknown[] } }).v1?.errors?.length).toBeGreaterThan(0);
    expect(badHash.has('/usr/local/bin/flanneld')).toBe(false);
    expect(badHash.wants.map((w) => w.name)).not.toContain('flanneld.service');
  });
});
