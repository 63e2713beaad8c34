/**
 * A fake node for the flannel metrics script: /sys/class/net with flannel.1, cni0 and eth0, a
 * subnet.env, and stand-ins for curl (flanneld's health port), systemctl, ip and bridge first on
 * PATH. The script reads the fake roots through the environment variables it takes for that.
 * `/readyz`'s answer is read from a file at each request, so a test can make flanneld unready.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './project.ts';

export interface FakeFlannelNode {
  readonly root: string;
  readonly script: string;
  /** The environment the script runs with: the stand-ins' PATH and the fake roots. */
  readonly env: Readonly<Record<string, string>>;
  /** Sets the HTTP status the stand-in gives for /readyz from now on. */
  readonly setReadyz: (status: number) => void;
}

export function fakeFlannelNode(scriptText: string, options: { readyz: number; subnetEnv: boolean }): FakeFlannelNode {
  const root = tempDir('kindling-flannel-metrics-');
  const script = join(root, 'kindling-flannel-metrics');
  writeFileSync(script, scriptText);
  chmodSync(script, 0o755);
  const stats = { rx_bytes: 1000, tx_bytes: 2000, rx_packets: 10, tx_packets: 20, rx_errors: 1, tx_errors: 0, rx_dropped: 2, tx_dropped: 0 };
  for (const dev of ['flannel.1', 'cni0', 'eth0']) {
    mkdirSync(join(root, 'net', dev, 'statistics'), { recursive: true });
    writeFileSync(join(root, 'net', dev, 'operstate'), dev === 'flannel.1' ? 'unknown\n' : 'up\n');
    for (const [name, value] of Object.entries(stats)) writeFileSync(join(root, 'net', dev, 'statistics', name), `${value}\n`);
  }
  if (options.subnetEnv) {
    writeFileSync(join(root, 'subnet.env'), 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
  }
  const readyzFile = join(root, 'readyz-status');
  const setReadyz = (status: number): void => writeFileSync(readyzFile, String(status));
  setReadyz(options.readyz);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const stub = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // The URL is curl's last argument; the script asks only for the status code.
  stub('curl', `for a; do url=$a; done\ncase $url in http://127.0.0.1:8081/healthz) printf 200 ;; http://127.0.0.1:8081/readyz) cat '${readyzFile}' ;; *) printf 000 ;; esac`);
  stub('systemctl', 'case "$*" in *ActiveState*) echo active ;; *NRestarts*) echo 3 ;; *ExecMainStartTimestamp*) echo @1764780000 ;; esac');
  stub('bridge', 'printf "aa:bb:cc:dd:ee:01 dst 10.0.0.22 self permanent\\naa:bb:cc:dd:ee:02 dst 10.0.0.11 self permanent\\n"');
  stub(
    'ip',
    `case "$*" in
  *neigh*) printf "10.244.2.0 lladdr aa:bb:cc:dd:ee:01 PERMANENT\\n" ;;
  *route*) printf "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1\\n10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink\\n10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink\\n" ;;
esac`,
  );
  const env = {
    PATH: `${bin}:/usr/bin:/bin`,
    KINDLING_SYS_CLASS_NET: join(root, 'net'),
    KINDLING_SUBNET_ENV: join(root, 'subnet.env'),
    KINDLING_NODE: 'worker-1',
    KINDLING_CONFIG_DIGEST: 'abc123',
  };
  return { root, script, env, setReadyz };
}
