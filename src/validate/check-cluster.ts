/** Meaning checks on the Cluster document: API server, networks, backend options, artifact URLs. */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { CODES } from '../diagnostics/codes.ts';
import { closestMatch } from './closest-match.ts';
import type { ClusterDoc, BackendSpec } from './profile-types.ts';
import type { Located } from './located.ts';
import { reporterFor, type Report } from './check-settings.ts';
import { parseCidr, type IpFamily } from './net.ts';
import { urlProblem } from './urls.ts';
import { checkDelivery } from './check-delivery.ts';
import { clusterNameProblem } from './names.ts';

/** Backend options flannel reads per backend type (pkg/backend/*: the JSON keys of each config struct). */
const BACKEND_OPTIONS: Record<BackendSpec['type'], readonly (keyof BackendSpec)[]> = {
  vxlan: ['vni', 'port', 'gbp', 'directRouting', 'learning', 'mtu'],
  'host-gw': [],
  wireguard: ['listenPort', 'listenPortV6', 'psk', 'persistentKeepaliveInterval', 'mode', 'mtu'],
  udp: ['port'],
  ipip: ['directRouting'],
};

const DUAL_STACK_BACKENDS = new Set(['vxlan', 'host-gw', 'wireguard']);

export function checkCluster(cluster: Located<ClusterDoc>, diagnostics: Diagnostic[]): void {
  const report = reporterFor(cluster.doc, diagnostics);
  const c = cluster.value;

  const nameProblem = clusterNameProblem(c.name);
  if (nameProblem) {
    report({ code: 'cluster/invalid-name', severity: 'error', message: `cluster name ${JSON.stringify(c.name)} ${nameProblem}`, hint: 'name the cluster like a Kubernetes object, e.g. lab or prod-eu-1: it becomes the folder out/<cluster>' }, ['name']);
  }

  c.acknowledge?.forEach((entry, i) => {
    if (Object.hasOwn(CODES, entry.code)) return;
    const suggestion = closestMatch(entry.code, Object.keys(CODES));
    report(
      {
        code: 'acknowledge/unknown-code',
        severity: 'error',
        message: `'${entry.code}' is not a kindling diagnostic code, so acknowledging it would accept nothing`,
        hint: suggestion ? `did you mean '${suggestion}'?` : 'copy the code from the brackets after the warning, e.g. artifact/unpinned',
      },
      ['acknowledge', i, 'code'],
    );
  });

  const api = urlProblem(c.kubernetes.apiServer);
  if (api) report({ severity: 'error', ...api, ...(api.code === 'url/insecure' ? { hint: 'the API server URL must be https' } : {}) }, ['kubernetes', 'apiServer']);

  const clusterV4 = checkCidr(c.kubernetes.clusterCIDR, 4, ['kubernetes', 'clusterCIDR'], report);
  const clusterV6 = c.kubernetes.clusterCIDRv6 === undefined ? undefined : checkCidr(c.kubernetes.clusterCIDRv6, 6, ['kubernetes', 'clusterCIDRv6'], report);
  const networkV4 = checkCidr(c.flannel.network, 4, ['flannel', 'network'], report);
  const networkV6 = c.flannel.ipv6Network === undefined ? undefined : checkCidr(c.flannel.ipv6Network, 6, ['flannel', 'ipv6Network'], report);

  if (clusterV4 && networkV4 && clusterV4 !== networkV4) {
    report(
      {
        code: 'net/network-mismatch',
        severity: 'error',
        message: `flannel network ${networkV4} differs from the cluster CIDR ${clusterV4}`,
        hint: 'set flannel.network equal to the controller-manager --cluster-cidr: flannel routes and masquerades by it',
      },
      ['flannel', 'network'],
    );
  }
  if (networkV6 !== clusterV6 && (networkV6 !== undefined || clusterV6 !== undefined)) {
    report(
      {
        code: 'net/network-mismatch',
        severity: 'error',
        message: `flannel ipv6Network ${networkV6 ?? '(none)'} differs from the IPv6 cluster CIDR ${clusterV6 ?? '(none)'}`,
        hint: 'set both kubernetes.clusterCIDRv6 and flannel.ipv6Network to the same IPv6 CIDR, or neither',
      },
      networkV6 !== undefined ? ['flannel', 'ipv6Network'] : ['kubernetes', 'clusterCIDRv6'],
    );
  }

  const backend = c.flannel.backend;
  const allowed = BACKEND_OPTIONS[backend.type];
  for (const key of Object.keys(backend) as (keyof BackendSpec)[]) {
    if (key === 'type' || allowed.includes(key)) continue;
    report(
      {
        code: 'flannel/backend-option',
        severity: 'error',
        message: `'${key}' is not an option of the ${backend.type} backend`,
        hint: allowed.length ? `${backend.type} options: ${allowed.join(', ')}` : `${backend.type} takes no options`,
      },
      ['flannel', 'backend', key],
      'key',
    );
  }
  if (c.flannel.ipv6Network !== undefined && !DUAL_STACK_BACKENDS.has(backend.type)) {
    report(
      { code: 'flannel/dual-stack-backend', severity: 'error', message: `the ${backend.type} backend does not support IPv6`, hint: 'use vxlan, host-gw or wireguard for dual-stack' },
      ['flannel', 'backend', 'type'],
    );
  }

  const mirror = c.downloads?.mirror;
  if (mirror) {
    const problem = urlProblem(mirror.url, { allowHttp: mirror.allowHttp === true });
    if (problem) {
      report({ severity: 'error', ...problem, ...(problem.code === 'url/insecure' ? { hint: 'use https, or add `allowHttp: true` to the mirror (hashes still protect the content)' } : {}) }, ['downloads', 'mirror', 'url']);
    }
  }
  const artifacts = c.flannel.artifacts ?? {};
  for (const [component, perArch] of Object.entries(artifacts)) {
    for (const [arch, artifact] of Object.entries(perArch ?? {})) {
      const problem = artifact && urlProblem(artifact.url);
      if (problem) report({ severity: 'error', ...problem }, ['flannel', 'artifacts', component, arch, 'url']);
    }
  }
  if (c.delivery?.publishURL !== undefined) {
    const problem = urlProblem(c.delivery.publishURL, { allowHttp: true });
    if (problem) report({ severity: 'error', ...problem }, ['delivery', 'publishURL']);
  }
  checkDelivery(c.delivery, report);
}

function checkCidr(text: string, family: IpFamily, path: (string | number)[], report: Report): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr) {
    report({ code: 'net/invalid-cidr', severity: 'error', message: `'${text}' is not a CIDR`, hint: family === 4 ? 'write it like 10.244.0.0/16' : 'write it like fd00:10:244::/56' }, path);
    return undefined;
  }
  if (cidr.family !== family) {
    report({ code: 'net/wrong-family', severity: 'error', message: `'${text}' is an IPv${cidr.family} CIDR where IPv${family} is expected`, hint: family === 4 ? 'put IPv6 ranges in the v6 fields' : 'put IPv4 ranges in the v4 fields' }, path);
    return undefined;
  }
  if (cidr.hostBitsSet) {
    report({ code: 'net/invalid-cidr', severity: 'error', message: `'${text}' has host bits set`, hint: `did you mean ${cidr.canonical}?` }, path);
    return undefined;
  }
  return cidr.canonical;
}
