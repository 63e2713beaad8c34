/**
 * Stand-in artifacts for what a kindling node downloads: flanneld, the flannel CNI plugin and the
 * containernetworking plugins tarball. Made at test time (nothing binary is committed) and small, but
 * each behaves like the real thing where a first-boot consumer can tell: flanneld is Type=notify, so
 * its MAIN process sends READY=1 to systemd; the tarball is a real gzip tar with `./name` members.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked } from './run.ts';

export interface StandIn {
  /** File name a release would use (e.g. `flanneld-amd64`). */
  readonly name: string;
  readonly bytes: Buffer;
  /** Lower-case hex digests. */
  readonly sha512: string;
  readonly sha256: string;
}

function standIn(name: string, bytes: Buffer | string): StandIn {
  const buffer = Buffer.from(bytes);
  return {
    name,
    bytes: buffer,
    sha512: createHash('sha512').update(buffer).digest('hex'),
    sha256: createHash('sha256').update(buffer).digest('hex'),
  };
}

/**
 * flanneld: `--version` prints a version; otherwise it does what a node's observers can see of a
 * flanneld that got its lease, then notifies systemd and serves its health port until stopped:
 * - with `--subnet-file` (kindling always passes it), writes that file with the network of
 *   `--net-config-path`'s net-conf.json, atomically as flanneld does, and adds a `flannel.1` link
 *   (a dummy: a vxlan device would need peers to mean anything) where the process may;
 * - answers `/healthz` (always 200) and `/readyz` (200 once the subnet file is there) on
 *   `--healthz-ip`:`--healthz-port` when the port is not 0, like flanneld v0.28.9 and later.
 * Without those flags it touches nothing outside its process: tests run it on the host too.
 * `exec` matters: with Type=notify systemd only accepts READY=1 from the main PID (NotifyAccess=main),
 * so python must replace the shell rather than run as its child. An abstract socket (`@name`) needs
 * its leading @ turned into a NUL byte.
 */
export function flanneldStandIn(version = 'v0.26.7', tag = 'kindling-test'): StandIn {
  const script = `#!/bin/sh
# flanneld stand-in (${tag}): not flannel, only behaves like it towards systemd and its observers.
for arg in "$@"; do
  if [ "$arg" = "--version" ] || [ "$arg" = "-version" ]; then echo "${version}"; exit 0; fi
done
exec python3 -c '
import json, os, socket, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer

def flag(name, default):
    for arg in sys.argv[1:]:
        if arg.startswith(name + "="):
            return arg[len(name) + 1:]
    return default

subnet_file = flag("--subnet-file", "")
if subnet_file:
    network = "10.244.0.0/16"
    try:
        with open(flag("--net-config-path", "/etc/kube-flannel/net-conf.json")) as conf:
            network = json.load(conf).get("Network", network)
    except (OSError, ValueError):
        pass
    prefix = network.split("/")[0].rsplit(".", 2)[0]
    os.makedirs(os.path.dirname(subnet_file), exist_ok=True)
    with open(subnet_file + ".tmp", "w") as out:
        out.write("FLANNEL_NETWORK=%s\\nFLANNEL_SUBNET=%s.1.1/24\\nFLANNEL_MTU=1450\\nFLANNEL_IPMASQ=%s\\n" % (network, prefix, flag("--ip-masq", "false")))
    os.rename(subnet_file + ".tmp", subnet_file)
    try:
        for command in (["ip", "link", "add", "flannel.1", "type", "dummy"], ["ip", "link", "set", "flannel.1", "up"]):
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    except (OSError, subprocess.SubprocessError):
        pass

class Health(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            status = 200
        elif self.path == "/readyz":
            status = 200 if subnet_file and os.path.exists(subnet_file) else 503
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass

port = int(flag("--healthz-port", "0"))
if port:
    try:
        server = HTTPServer((flag("--healthz-ip", "0.0.0.0"), port), Health)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    except OSError as error:
        print("stand-in flanneld: no health server: %s" % error, file=sys.stderr)

address = os.environ.get("NOTIFY_SOCKET")
if address:
    if address.startswith("@"):
        address = "\\0" + address[1:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.connect(address)
    sock.sendall(b"READY=1\\nSTATUS=stand-in flanneld running")
    sock.close()
while True:
    time.sleep(3600)
' "$@"
`;
  return standIn('flanneld-amd64', script);
}

/** The flannel CNI plugin: answers the CNI VERSION command, fails every other one. */
export function flannelCniPluginStandIn(version = 'v1.7.1-flannel1'): StandIn {
  const script = `#!/bin/sh
# flannel CNI plugin stand-in: answers VERSION like a CNI plugin, does nothing else.
if [ "$CNI_COMMAND" = "VERSION" ]; then
  echo '{"cniVersion":"1.0.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0"]}'
  exit 0
fi
if [ "$1" = "--version" ] || [ "$1" = "version" ]; then echo "flannel ${version}"; exit 0; fi
echo '{"cniVersion":"1.0.0","code":100,"msg":"flannel CNI stand-in cannot set up networks"}'
exit 1
`;
  return standIn('flannel-amd64', script);
}

export const CNI_TARBALL_MEMBERS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

export interface CniTarball extends StandIn {
  /** The bytes of each member, by name, as extraction must reproduce them. */
  readonly members: Readonly<Record<(typeof CNI_TARBALL_MEMBERS)[number], Buffer>>;
}

/**
 * `cni-plugins-linux-amd64-<version>.tgz` as the containernetworking release ships it: members
 * `./bridge ./host-local ./portmap ./loopback`, executable. Built with GNU tar and gzip -n, with fixed
 * owner and mtime, so the same version gives the same bytes.
 */
export async function cniPluginsTarball(version = 'v1.7.1'): Promise<CniTarball> {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-cni-'));
  try {
    const members = {} as Record<(typeof CNI_TARBALL_MEMBERS)[number], Buffer>;
    for (const name of CNI_TARBALL_MEMBERS) {
      const body = Buffer.from(`#!/bin/sh\n# CNI ${name} plugin stand-in ${version}\necho "CNI ${name} plugin ${version}"\n`);
      writeFileSync(join(dir, name), body);
      chmodSync(join(dir, name), 0o755);
      members[name] = body;
    }
    const archive = join(dir, 'out.tgz');
    await runChecked('tar', [
      '-C', dir,
      '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu',
      '--use-compress-program=gzip -n',
      '-cf', archive,
      ...CNI_TARBALL_MEMBERS.map((name) => `./${name}`),
    ]);
    return { ...standIn(`cni-plugins-linux-amd64-${version}.tgz`, readFileSync(archive)), members };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** All three, as a test needs them. */
export async function makeStandIns(): Promise<{ flanneld: StandIn; flannelCni: StandIn; cniTarball: CniTarball }> {
  return { flanneld: flanneldStandIn(), flannelCni: flannelCniPluginStandIn(), cniTarball: await cniPluginsTarball() };
}
