/**
 * flannel's state as Prometheus metrics on every node, without a new binary: a POSIX sh script
 * (templates/kindling-flannel-metrics.sh.hbs) run per connection by a socket-activated service
 * (`Accept=yes`: nothing runs between scrapes), or every 15 s by a timer writing a node-exporter
 * textfile. Both services are sandboxed: they read /sys, /run/flannel and systemd's state, reach
 * flanneld's health port and nothing else on the network, and write nothing but the textfile.
 */
import { sha256Hex } from '../../sha256.ts';
import type { ResolvedCluster, ResolvedNode } from '../../resolve/project-model.ts';
import type { BackendSpec } from '../../validate/profile-types.ts';
import type { PlanBuilder } from '../node-plan.ts';
import { environmentAssignment, execArg, plainValue } from '../systemd-escape.ts';
import { flanneldFlags, netConfJson } from './flannel.ts';

const UNITS = Object.freeze({
  socket: 'kindling-flannel-metrics.socket',
  connection: 'kindling-flannel-metrics@.service',
  textfile: 'kindling-flannel-metrics-textfile.service',
  timer: 'kindling-flannel-metrics-textfile.timer',
} as const);

/** flanneld answers /readyz from this release on; before it the script reads /healthz and subnet.env. */
const READYZ_SINCE = Object.freeze([0, 28, 9] as const);

function hasReadyz(version: string): boolean {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < READYZ_SINCE.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== READYZ_SINCE[i]) return part > READYZ_SINCE[i]!;
  }
  return true;
}

/** The device flanneld creates for a backend (names from flannel's pkg/backend); host-gw has none. */
function flannelDevice(backend: BackendSpec): string {
  switch (backend.type) {
    case 'vxlan':
      return `flannel.${backend.vni ?? 1}`;
    case 'wireguard':
      return 'flannel-wg';
    case 'udp':
      return 'flannel0';
    case 'ipip':
      return 'flannel.ipip';
    case 'host-gw':
      return '';
  }
}

/**
 * What kindling configured flannel with on this node (net-conf.json, flanneld's flags and binary):
 * the node reports it as kindling_build_info's config_digest, the cluster side expects it.
 */
export function flannelConfigDigest(cluster: ResolvedCluster, node: ResolvedNode): string {
  const facts = JSON.stringify([netConfJson(cluster.flannel), flanneldFlags(node), node.artifacts.flanneld.url, node.artifacts.flanneld.sha512 ?? '']);
  return sha256Hex(new TextEncoder().encode(facts));
}

/** Restrictions both services share: read-only everything, no privileges, loopback-only network. */
function sandbox(healthzAddress: string): string[] {
  return [
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'NoNewPrivileges=yes',
    'CapabilityBoundingSet=',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'MemoryDenyWriteExecute=yes',
    'SystemCallArchitectures=native',
    // AF_UNIX for systemctl (D-Bus), AF_NETLINK for ip/bridge, AF_INET* for flanneld's health port.
    'RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6',
    // Sockets this service opens may reach flanneld's health address only. A socket-activated
    // connection is not one of them: systemd applies these lists to the service's own sockets.
    'IPAddressDeny=any',
    `IPAddressAllow=${plainValue(healthzAddress === '0.0.0.0' || healthzAddress === '::' ? 'localhost' : healthzAddress)}`,
    'TasksMax=16',
    'MemoryMax=64M',
    'UMask=0022',
  ];
}

export function addFlannelMetrics(plan: PlanBuilder): void {
  const { node, cluster, binDir } = plan;
  const metrics = node.flannelMetrics;
  if (metrics === undefined) return;
  const script = `${binDir}/kindling-flannel-metrics`;
  const { address, port } = node.flannel.healthz;
  const host = address.includes(':') ? `[${address}]` : address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '[::1]' : address;
  plan.files.push({
    path: script,
    mode: 0o755,
    owner: 'root',
    group: 'root',
    contents: {
      kind: 'inline',
      text: plan.templates('kindling-flannel-metrics.sh', {
        // flanneld's port 0 switches its health server off.
        healthUrl: port === 0 ? '' : `http://${host}:${port}`,
        hasReadyz: hasReadyz(cluster.flannel.version) ? '1' : '0',
        backend: cluster.flannel.backend.type,
        device: flannelDevice(cluster.flannel.backend),
        network: cluster.flannel.network,
        cluster: cluster.name,
      }),
    },
    source: 'flannel',
  });
  const identity = (self: PlanBuilder['node']): string[] => [
    `Environment=${environmentAssignment('KINDLING_NODE', self.name)}`,
    `Environment=${environmentAssignment('KINDLING_CONFIG_DIGEST', flannelConfigDigest(cluster, self))}`,
  ];
  const unit = (lines: string[]): string => `# Generated by kindling: flannel metrics on this node.\n${lines.join('\n')}\n`;

  if (metrics.kind === 'socket') {
    plan.units.push({
      name: UNITS.socket,
      enabled: true,
      contents: unit([
        '[Unit]',
        'Description=flannel metrics endpoint (one short-lived service per connection)',
        '',
        '[Socket]',
        `ListenStream=${plainValue(metrics.listen)}`,
        'Accept=yes',
        // Bounds what a flood of connections can start; Prometheus holds one at a time.
        'MaxConnections=8',
        'MaxConnectionsPerSource=4',
        '',
        '[Install]',
        'WantedBy=sockets.target',
      ]),
      dropins: [],
      needs: [],
      source: 'flannel',
    });
    plan.perNodeUnit((self) => ({
      name: UNITS.connection,
      contents: unit([
        '[Unit]',
        'Description=flannel metrics for one connection',
        '',
        '[Service]',
        `ExecStart=${execArg(script)} serve`,
        'StandardInput=socket',
        'StandardOutput=socket',
        'StandardError=journal',
        'DynamicUser=yes',
        // The script bounds the request line's time itself; this bounds everything else.
        'RuntimeMaxSec=15',
        ...identity(self),
        ...sandbox(address),
      ]),
      dropins: [],
      needs: [script],
      source: 'flannel',
      perNode: true,
    }));
    return;
  }

  plan.directories.push({ path: metrics.dir, mode: 0o755, source: 'flannel' });
  plan.perNodeUnit((self) => ({
    name: UNITS.textfile,
    contents: unit([
      '[Unit]',
      'Description=flannel metrics for the node-exporter textfile collector',
      '',
      '[Service]',
      'Type=oneshot',
      `ExecStart=${execArg(script)} textfile ${execArg(metrics.dir)}`,
      // root without capabilities: it may write the root-owned textfile folder and nothing else.
      `ReadWritePaths=${plainValue(metrics.dir)}`,
      'TimeoutStartSec=30',
      ...identity(self),
      ...sandbox(address),
    ]),
    dropins: [],
    needs: [script],
    source: 'flannel',
    perNode: true,
  }));
  plan.units.push({
    name: UNITS.timer,
    enabled: true,
    contents: unit([
      '[Unit]',
      'Description=flannel metrics textfile, every 15 seconds',
      '',
      '[Timer]',
      'OnBootSec=30s',
      'OnUnitActiveSec=15s',
      'AccuracySec=1s',
      '',
      '[Install]',
      'WantedBy=timers.target',
    ]),
    dropins: [],
    needs: [],
    source: 'flannel',
  });
}
