/**
 * Proves the Ignition harness on a hand-written spec 3.3.0 config: the real Ignition fetches the
 * stand-in flanneld from the test server, checks its sha512, writes a 0600 file and an enabled unit,
 * and the first-boot preset turns that into a wants/ symlink. A wrong hash must fail visibly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from './harness/http-server.ts';
import type { StaticServer } from './harness/http-server.ts';
import { bootIgnitionRoot, runIgnition } from './harness/ignition-root.ts';
import { ensureDebianRoot } from './harness/debootstrap-root.ts';
import type { IgnitionRun } from './harness/ignition-root.ts';
import { cniPluginsTarball, CNI_TARBALL_MEMBERS, flanneldStandIn } from './harness/stand-ins.ts';
import { findEntry, formatListing, octal } from './harness/tree-listing.ts';
import { requireRoot, run } from './harness/run.ts';

const flanneld = flanneldStandIn();
const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters: []\n';
const unit = `[Unit]
Description=flannel (stand-in)
[Service]
Type=notify
ExecStart=/opt/bin/flanneld --kube-subnet-mgr
Restart=always
[Install]
WantedBy=multi-user.target
`;

function config(baseUrl: string, sha512: string): object {
  return {
    ignition: { version: '3.3.0' },
    storage: {
      files: [
        {
          path: '/opt/bin/flanneld',
          mode: 0o755,
          contents: { source: `${baseUrl}/flanneld-amd64`, verification: { hash: `sha512-${sha512}` } },
        },
        {
          path: '/etc/kubernetes/flanneld.kubeconfig',
          mode: 0o600,
          contents: { source: `data:;base64,${Buffer.from(kubeconfig).toString('base64')}` },
        },
      ],
    },
    systemd: { units: [{ name: 'flanneld.service', enabled: true, contents: unit }] },
  };
}

describe('the real Ignition harness', () => {
  let server: StaticServer;
  const runs: IgnitionRun[] = [];

  beforeAll(async () => {
    requireRoot();
    // Built once and cached; on a cold cache this takes minutes, which only a hook's timeout allows.
    await ensureDebianRoot();
    server = await startStaticServer({ '/flanneld-amd64': flanneld.bytes });
  });
  afterAll(async () => {
    for (const r of runs) r.cleanup();
    await server?.close();
  });

  it('accepts the hand-written config in ignition-validate without a single message', async () => {
    const result = await run('ignition-validate', ['-'], { input: JSON.stringify(config(server.baseUrl, flanneld.sha512)) });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.code).toBe(0);
  });

  it('fetches a hash-verified binary, writes a 0600 file and enables the unit through preset', async () => {
    const result = await runIgnition({ config: config(server.baseUrl, flanneld.sha512) });
    runs.push(result);
    expect(result.ok, result.log).toBe(true);

    expect(result.read('/opt/bin/flanneld').equals(flanneld.bytes)).toBe(true);
    expect(octal(findEntry(result.listing, 'opt/bin/flanneld')?.mode ?? 0)).toBe('0755');
    expect(server.requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/flanneld-amd64', status: 200 }));

    const secret = findEntry(result.listing, 'etc/kubernetes/flanneld.kubeconfig');
    expect(secret, formatListing(result.listing)).toMatchObject({ type: 'file', uid: 0, gid: 0 });
    expect(octal(secret?.mode ?? 0)).toBe('0600');
    expect(result.read('/etc/kubernetes/flanneld.kubeconfig').toString()).toBe(kubeconfig);

    expect(result.read('/etc/systemd/system/flanneld.service').toString()).toBe(unit);
    expect(result.read('/etc/systemd/system-preset/20-ignition.preset').toString()).toContain('enable flanneld.service');
    expect(findEntry(result.listing, 'etc/systemd/system/multi-user.target.wants/flanneld.service')).toMatchObject({
      type: 'symlink',
      target: '/etc/systemd/system/flanneld.service',
    });
    expect(result.relabelled).toEqual(expect.arrayContaining(['/opt', '/etc/kubernetes', '/etc/systemd/system/flanneld.service']));
    expect(result.exists('/etc/.ignition-result.json')).toBe(true);
  });

  it('creates a user with its ssh key through the host useradd, in the scratch root only', async () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKindlingHarnessTestKeyOnlyNotARealOne0000000 ops@example';
    const withUser = { ignition: { version: '3.3.0' }, passwd: { users: [{ name: 'core', sshAuthorizedKeys: [key] }] } };
    const fragment = await runIgnition({ config: withUser });
    const plain = await runIgnition({ config: withUser, env: { IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT: 'false' } });
    runs.push(fragment, plain);
    expect(fragment.ok, fragment.log).toBe(true);
    expect(plain.ok, plain.log).toBe(true);

    const passwd = fragment.read('/etc/passwd').toString();
    expect(passwd).toMatch(/^core:x:1000:1000::\/home\/core:/m);
    expect(fragment.read('/etc/group').toString()).toMatch(/^core:x:1000:$/m);
    expect(fragment.read('/home/core/.ssh/authorized_keys.d/ignition').toString()).toContain(key);
    const keys = findEntry(plain.listing, 'home/core/.ssh/authorized_keys');
    expect(keys).toMatchObject({ type: 'file', uid: 1000, gid: 1000 });
    expect(octal(keys?.mode ?? 0)).toBe('0600');
    expect(plain.read('/home/core/.ssh/authorized_keys').toString()).toContain(key);
    expect((await run('id', ['core'])).code, 'the host must not get the user').not.toBe(0);
  });

  it('boots the oneshot unit Ignition enabled, which unpacks a hash-verified tarball in a chroot over Debian', async () => {
    const tarball = await cniPluginsTarball();
    server.set('/cni.tgz', tarball.bytes);
    const extract = `[Unit]
Description=Unpack CNI plugins (harness test)
ConditionPathExists=!/opt/cni/bin/bridge
[Service]
Type=oneshot
Environment="ARCHIVE=/opt/cni/kindling/cni-plugins.tgz"
ExecStart=/bin/mkdir -p /opt/cni/bin
ExecStart=/bin/tar -xzf \${ARCHIVE} -C /opt/cni/bin ./bridge ./host-local ./portmap ./loopback
[Install]
WantedBy=multi-user.target
`;
    const ignition = await runIgnition({
      config: {
        ignition: { version: '3.3.0' },
        storage: {
          files: [
            {
              path: '/opt/cni/kindling/cni-plugins.tgz',
              mode: 0o644,
              contents: { source: `${server.baseUrl}/cni.tgz`, verification: { hash: `sha512-${tarball.sha512}` } },
            },
          ],
        },
        systemd: { units: [{ name: 'cni-plugins-extract.service', enabled: true, contents: extract }] },
      },
    });
    runs.push(ignition);
    expect(ignition.ok, ignition.log).toBe(true);

    const boot = await bootIgnitionRoot(ignition);
    try {
      expect(boot.units.map((u) => [u.unit, u.ok, u.skipped])).toEqual([['cni-plugins-extract.service', true, undefined]]);
      for (const name of CNI_TARBALL_MEMBERS) {
        expect(boot.read(`/opt/cni/bin/${name}`).equals(tarball.members[name])).toBe(true);
        expect(octal(findEntry(boot.upper, `opt/cni/bin/${name}`)?.mode ?? 0)).toBe('0755');
      }
      expect(boot.mountsLeftOnHost).toEqual([]);
    } finally {
      boot.cleanup();
    }
  });

  it('fails the files stage and leaves no binary when the sha512 does not match', async () => {
    const wrong = flanneldStandIn('v0.0.0-other').sha512;
    const result = await runIgnition({ config: config(server.baseUrl, wrong) });
    runs.push(result);

    expect(result.ok).toBe(false);
    expect(result.fetch.code).toBe(0);
    expect(result.files?.code).toBe(1);
    expect(result.log).toContain('hash verification failed');
    expect(result.exists('/opt/bin/flanneld')).toBe(false);
    expect(result.preset).toBeUndefined();
    expect(findEntry(result.listing, 'etc/systemd/system/multi-user.target.wants/flanneld.service')).toBeUndefined();
  });

  it('stops Ignition with timeout when nothing listens, since it would retry a refused connection forever', async () => {
    const closed = await startStaticServer({});
    const port = closed.port;
    await closed.close();
    const result = await runIgnition({
      config: config(`http://127.0.0.1:${port}`, flanneld.sha512),
      timeoutSeconds: 3,
    });
    runs.push(result);
    expect(result.ok).toBe(false);
    expect(result.files?.code, 'GNU timeout exits 124 when it stops the command').toBe(124);
    expect(result.log).toMatch(/connection refused/);
    expect(result.exists('/opt/bin/flanneld')).toBe(false);
  });
});
