/**
 * The flannel module: flanneld binary, net-conf.json, kubeconfig and flanneld.service. Every flag
 * is written `--name=value`: Go's flag parser stops at the first bare value and flanneld silently
 * ignores the rest.
 */
import type { BackendSpec } from '../../validate/profile-types.ts';
import type { PlanBuilder } from '../node-plan.ts';
import { renderKubeconfig } from './kubeconfig.ts';

const FLANNEL_PATHS = {
  netConf: '/etc/kube-flannel/net-conf.json',
  kubeconfig: '/etc/kubernetes/flanneld.kubeconfig',
  subnetFile: '/run/flannel/subnet.env',
  unit: 'flanneld.service',
} as const;

/** Profile option → flannel's JSON key (the backend config structs in pkg/backend/*). */
const BACKEND_KEYS: Record<Exclude<keyof BackendSpec, 'type'>, string> = {
  vni: 'VNI',
  port: 'Port',
  gbp: 'GBP',
  directRouting: 'DirectRouting',
  learning: 'Learning',
  mtu: 'MTU',
  listenPort: 'ListenPort',
  listenPortV6: 'ListenPortV6',
  psk: 'PSK',
  persistentKeepaliveInterval: 'PersistentKeepaliveInterval',
  mode: 'Mode',
};

export function netConfJson(flannel: PlanBuilder['cluster']['flannel']): string {
  const backend: Record<string, unknown> = { Type: flannel.backend.type }; // always explicit: absent means udp
  for (const [key, jsonKey] of Object.entries(BACKEND_KEYS)) {
    const value = flannel.backend[key as keyof BackendSpec];
    if (value !== undefined) backend[jsonKey] = value;
  }
  const conf: Record<string, unknown> = { Network: flannel.network };
  if (flannel.ipv6Network) {
    conf.EnableIPv6 = true;
    conf.IPv6Network = flannel.ipv6Network;
  }
  conf.EnableNFTables = flannel.enableNFTables;
  conf.Backend = backend;
  return `${JSON.stringify(conf, null, 2)}\n`;
}

export function flanneldFlags(node: PlanBuilder['node']): string[] {
  const flags = [
    '--kube-subnet-mgr=true',
    `--kubeconfig-file=${FLANNEL_PATHS.kubeconfig}`,
    `--net-config-path=${FLANNEL_PATHS.netConf}`,
    `--subnet-file=${FLANNEL_PATHS.subnetFile}`,
    `--ip-masq=${node.flannel.ipMasq}`,
  ];
  if (node.interface) flags.push(`--iface=${node.interface}`);
  if (node.ip) flags.push(`--public-ip=${node.ip}`);
  if (node.ipv6) flags.push(`--public-ipv6=${node.ipv6}`);
  flags.push(`--healthz-ip=${node.flannel.healthz.address}`, `--healthz-port=${node.flannel.healthz.port}`);
  flags.push(...node.flannel.extraArgs.map((arg) => arg.replace(/^-(?!-)/, '--')));
  return flags;
}

export function addFlannel(plan: PlanBuilder): void {
  const { node, cluster, binDir } = plan;
  const binary = `${binDir}/flanneld`;
  plan.directories.push({ path: '/etc/kube-flannel', mode: 0o755, source: 'flannel' });
  plan.files.push({
    path: binary,
    mode: 0o755,
    owner: 'root',
    group: 'root',
    contents: { kind: 'remote', download: node.artifacts.flanneld },
    source: 'flannel',
  });
  plan.files.push({ path: FLANNEL_PATHS.netConf, mode: 0o644, owner: 'root', group: 'root', contents: { kind: 'inline', text: plan.share('net-conf.json', () => netConfJson(cluster.flannel)) }, source: 'flannel' });
  plan.files.push({
    path: FLANNEL_PATHS.kubeconfig,
    mode: 0o600,
    owner: 'root',
    group: 'root',
    secret: true,
    contents: {
      kind: 'inline',
      text: plan.share('kubeconfig', () =>
        renderKubeconfig({ server: cluster.apiServer, caPem: cluster.credentials.caPem, clusterName: cluster.name, credentials: cluster.credentials.auth }),
      ),
    },
    source: 'kubeconfig',
  });
  // The node's name (NODE_NAME) and addresses (--public-ip) make this unit differ on every node.
  plan.perNodeUnit((self) => ({
    name: FLANNEL_PATHS.unit,
    enabled: true,
    contents: plan.templates('flanneld.service', { nodeName: self.name, binary, flags: flanneldFlags(self) }, { perNode: true }),
    dropins: [],
    profileDropins: true,
    needs: [binary],
    source: 'flannel',
    perNode: true,
  }));
}
