/**
 * The stand-ins must behave like the real artifacts wherever a first-boot consumer can tell, or the
 * real-consumer tests prove nothing: flanneld answers --version and sends READY=1 from its main
 * process (to a plain or an abstract notify socket); the tarball is a real gzip tar with ./ members.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cniPluginsTarball, CNI_TARBALL_MEMBERS, flannelCniPluginStandIn, flanneldStandIn } from './harness/stand-ins.ts';
import { requireExecutables, run, runChecked } from './harness/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'kindling-stand-ins-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function install(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  chmodSync(path, 0o755);
  return path;
}

/**
 * Listens on a unix datagram socket the way systemd does, starts flanneld with NOTIFY_SOCKET set, and
 * reports the first datagram plus whether it came from flanneld's own PID (systemd's NotifyAccess=main).
 */
const NOTIFY_LISTENER = String.raw`
import os, socket, subprocess, sys, struct
binary, address = sys.argv[1], sys.argv[2]
bind = ("\0" + address[1:]) if address.startswith("@") else address
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(bind)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
sock.settimeout(20)
child = subprocess.Popen([binary, "--kube-subnet-mgr"], env=dict(os.environ, NOTIFY_SOCKET=address))
msg, anc, flags, _ = sock.recvmsg(4096, socket.CMSG_SPACE(12))
pid = next(struct.unpack("iII", data)[0] for level, kind, data in anc if kind == socket.SCM_CREDENTIALS)
alive = child.poll() is None
child.kill()
print(msg.decode().split("\n")[0], "main" if pid == child.pid else "other", "alive" if alive else "exited")
`;

describe('the stand-in artifacts', () => {
  it('makes a flanneld that prints its version', async () => {
    const path = install('flanneld-version', flanneldStandIn('v9.8.7').bytes);
    const result = await runChecked(path, ['--version']);
    expect(result.stdout.trim()).toBe('v9.8.7');
  });

  it.each(['plain', 'abstract'])('makes a flanneld whose main process sends READY=1 to a notify socket (%s address)', async (kind) => {
    requireExecutables(['python3']);
    const path = install(`flanneld-${kind}`, flanneldStandIn().bytes);
    const address = kind === 'abstract' ? `@kindling-notify-${process.pid}` : join(dir, 'notify.sock');
    const result = await runChecked('/usr/bin/python3', ['-c', NOTIFY_LISTENER, path, address]);
    expect(result.stdout.trim()).toBe('READY=1 main alive');
  });

  it('makes a flanneld that, given a subnet file and a health port, writes subnet.env and answers /healthz and /readyz there', async () => {
    requireExecutables(['unshare', 'ip', 'python3']);
    const path = install('flanneld-health', flanneldStandIn().bytes);
    const netConf = join(dir, 'net-conf.json');
    writeFileSync(netConf, JSON.stringify({ Network: '10.32.0.0/16', Backend: { Type: 'vxlan' } }));
    const subnetEnv = join(dir, 'run-flannel', 'subnet.env');
    // In a network namespace of its own: its health port and link cannot touch the host's.
    const script = `ip link set lo up
status() { python3 -c "$STATUS" "http://127.0.0.1:8081/$1"; }
"$0" --subnet-file="$1" --net-config-path="$2" --ip-masq=true --healthz-ip=127.0.0.1 --healthz-port=8081 & pid=$!
for i in $(seq 100); do [ "$(status healthz)" = 200 ] && break; sleep 0.1; done
cat "$1"
for p in healthz readyz nothing; do echo "$p=$(status $p)"; done
rm "$1"
echo "readyz-without-subnet-env=$(status readyz)"
kill "$pid"`;
    const STATUS = `import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except urllib.error.HTTPError as error:
    print(error.code)
except OSError:
    print("none")`;
    const result = await runChecked('unshare', ['--net', 'sh', '-c', script, path, subnetEnv, netConf], { env: { ...process.env, STATUS } });
    expect(result.stdout).toBe(
      'FLANNEL_NETWORK=10.32.0.0/16\nFLANNEL_SUBNET=10.32.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n' +
        'healthz=200\nreadyz=200\nnothing=404\nreadyz-without-subnet-env=503\n',
    );
  });

  it('gives each stand-in the sha512 and sha256 of its bytes', () => {
    const flanneld = flanneldStandIn();
    expect(flanneld.sha512).toBe(createHash('sha512').update(flanneld.bytes).digest('hex'));
    expect(flanneld.sha256).toBe(createHash('sha256').update(flanneld.bytes).digest('hex'));
    expect(flanneldStandIn('v1').sha512).not.toBe(flanneldStandIn('v2').sha512);
  });

  it('makes a flannel CNI plugin that answers the CNI VERSION command', async () => {
    const path = install('flannel', flannelCniPluginStandIn().bytes);
    const result = await runChecked(path, [], { env: { ...process.env, CNI_COMMAND: 'VERSION' } });
    expect(JSON.parse(result.stdout)).toMatchObject({ cniVersion: '1.0.0' });
    expect((await run(path, [], { env: { ...process.env, CNI_COMMAND: 'ADD' } })).code).toBe(1);
  });

  it('writes a gzip tarball whose members are ./bridge ./host-local ./portmap ./loopback, executable', async () => {
    const tarball = await cniPluginsTarball('v1.7.1');
    expect(tarball.name).toBe('cni-plugins-linux-amd64-v1.7.1.tgz');
    expect(tarball.bytes.subarray(0, 2).toString('hex')).toBe('1f8b');
    const archive = join(dir, tarball.name);
    writeFileSync(archive, tarball.bytes);

    const listing = await runChecked('tar', ['-tvzf', archive]);
    const lines = listing.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/).at(-1))).toEqual(CNI_TARBALL_MEMBERS.map((name) => `./${name}`));
    for (const line of lines) expect(line).toMatch(/^-rwxr-xr-x 0\/0 /);

    const out = join(dir, 'extracted');
    await runChecked('mkdir', ['-p', out]);
    await runChecked('tar', ['-xzf', archive, '-C', out]);
    for (const name of CNI_TARBALL_MEMBERS) {
      expect(readFileSync(join(out, name)).equals(tarball.members[name])).toBe(true);
      expect((await runChecked(join(out, name), [])).stdout).toContain(`CNI ${name} plugin`);
    }
  });

  it('makes the same tarball bytes for the same version', async () => {
    expect((await cniPluginsTarball('v1.7.1')).sha512).toBe((await cniPluginsTarball('v1.7.1')).sha512);
  });
});
