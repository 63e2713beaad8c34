/**
 * Cross-field checks of node addressing, on each node's `network` as it merges (defaults < role <
 * node, key by key): `ip`/`ipv6` are among the node's static addresses, gateways are on the link,
 * nameservers reachable, the NIC is flanneld's, no address is another node's, the pod network stays clear of node subnets
 * and the API server, and host-gw nodes share one subnet. Each finding points at the value that
 * the merge took, in whichever document set it. Values that do not parse were reported by the
 * checks of single values (check-delivery.ts, check-nodes.ts) and are skipped here.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DocPath, ParsedDocument } from '../parse/parse-document.ts';
import type { ClusterDoc, NetworkSpec, NodeDoc, RoleDoc } from './profile-types.ts';
import { reporterFor } from './check-settings.ts';
import { where, type Located } from './located.ts';
import { canonicalAddress, ipFamily, parseCidr, type Cidr, type IpFamily } from './net.ts';

/** A merged value and where it was written. */
interface Placed<T> {
  readonly value: T;
  readonly doc: ParsedDocument;
  readonly path: DocPath;
}

/** A node's static address: the host, its subnet, and where it was written. */
interface NodeAddress extends Placed<string> {
  readonly host: string;
  readonly subnet: Cidr;
}

interface NodeAddressing {
  readonly node: Located<NodeDoc>;
  readonly addresses: readonly NodeAddress[];
  readonly network: { readonly [K in keyof NetworkSpec]?: Placed<NonNullable<NetworkSpec[K]>> };
  /** flanneld's `--iface`: the node's `interface` as it merges. */
  readonly flannelInterface?: string;
}

export function checkAddressing(
  cluster: Located<ClusterDoc>,
  roles: ReadonlyMap<string, Located<RoleDoc>>,
  nodes: readonly Located<NodeDoc>[],
  diagnostics: Diagnostic[],
): void {
  const out = new Diagnostics(diagnostics);
  const addressing = nodes.map((node) => nodeAddressing(cluster, node.value.role === undefined ? undefined : roles.get(node.value.role), node));
  for (const one of addressing) {
    checkIpAmongAddresses(one, out);
    checkGateways(one, out);
    checkNameservers(one, out);
    checkInterface(one, out);
  }
  checkSharedAddresses(addressing, out);
  checkPodNetwork(cluster, addressing, out);
  checkHostGwSubnets(cluster, addressing, out);
}

/**
 * Collects findings once per code and place: a value from the defaults or a role is seen by every
 * node that takes it, and the first node's finding stands for them all.
 */
class Diagnostics {
  private readonly seen = new Set<string>();
  constructor(private readonly list: Diagnostic[]) {}
  report(at: Placed<unknown>, diagnostic: Omit<Diagnostic, 'location' | 'path'>): void {
    const before = this.list.length;
    reporterFor(at.doc, this.list)(diagnostic, at.path);
    const added = this.list[before]!;
    const key = `${added.code}\0${added.location?.file}:${added.location?.line}:${added.location?.column}`;
    if (this.seen.has(key)) this.list.pop();
    else this.seen.add(key);
  }
}

function nodeAddressing(cluster: Located<ClusterDoc>, role: Located<RoleDoc> | undefined, node: Located<NodeDoc>): NodeAddressing {
  const flannelInterface = node.value.interface ?? role?.value.interface ?? cluster.value.defaults?.interface;
  // Most nodes of a large site take DHCP: nothing to merge.
  if (cluster.value.defaults?.network === undefined && role?.value.network === undefined && node.value.network === undefined) {
    return { node, addresses: [], network: {}, ...(flannelInterface !== undefined ? { flannelInterface } : {}) };
  }
  const layers: [NetworkSpec | undefined, ParsedDocument, DocPath][] = [
    [cluster.value.defaults?.network, cluster.doc, ['defaults', 'network']],
    [role?.value.network, role?.doc ?? cluster.doc, ['network']],
    [node.value.network, node.doc, ['network']],
  ];
  const network: Record<string, Placed<unknown>> = {};
  for (const [spec, doc, base] of layers) {
    for (const [key, value] of Object.entries(spec ?? {})) {
      if (value !== undefined) network[key] = { value, doc, path: [...base, key] };
    }
  }
  const placed = network as NodeAddressing['network'];
  const addresses: NodeAddress[] = [];
  placed.addresses?.value.forEach((text, i) => {
    const subnet = parseCidr(text);
    if (!subnet) return;
    addresses.push({ value: text, doc: placed.addresses!.doc, path: [...placed.addresses!.path, i], host: canonicalAddress(text.slice(0, text.indexOf('/')))!, subnet });
  });
  return { node, addresses, network: placed, ...(flannelInterface !== undefined ? { flannelInterface } : {}) };
}

function contains(subnet: Cidr, host: string): boolean {
  // Most hosts are IPv4 and most pod networks too: compare their 32 bits without parsing a CIDR.
  if (subnet.family === 4 && ipFamily(host) === 4) {
    const value = host.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    const size = 2 ** (32 - subnet.prefix);
    return Math.floor(value / size) * size === Number(subnet.address);
  }
  const cidr = parseCidr(`${host}/${subnet.prefix}`);
  return cidr !== undefined && cidr.family === subnet.family && cidr.address === subnet.address;
}

function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const wider = a.prefix <= b.prefix ? a : b;
  const narrower = wider === a ? b : a;
  const bits = BigInt((a.family === 4 ? 32 : 128) - wider.prefix);
  return narrower.address >> bits === wider.address >> bits;
}

const familyOf = (address: NodeAddress): IpFamily => address.subnet.family;

function checkIpAmongAddresses({ node, addresses }: NodeAddressing, out: Diagnostics): void {
  for (const [key, family] of [['ip', 4], ['ipv6', 6]] as const) {
    const ip = node.value[key];
    const host = ip === undefined || ipFamily(ip) !== family ? undefined : canonicalAddress(ip);
    // A node with static addresses has no others: without one of this family it has none at all.
    if (host === undefined || !addresses.length || addresses.some((a) => a.host === host)) continue;
    const same = addresses.filter((a) => familyOf(a) === family);
    const prefix = same[0]?.subnet.prefix ?? (family === 4 ? 24 : 64);
    out.report(
      { value: ip, doc: node.doc, path: [key] },
      {
        code: 'net/ip-not-in-addresses',
        severity: 'error',
        message: `node '${node.value.name}' has ${key} ${ip}, which is none of its static addresses (${addresses.map((a) => a.value).join(', ')})`,
        hint: `flanneld announces ${key} as the node's address, so it must be one the node has: set ${key} to one of the network.addresses, or add ${ip}/${prefix} to them`,
      },
    );
  }
}

function checkGateways({ node, addresses, network }: NodeAddressing, out: Diagnostics): void {
  if (!addresses.length) return;
  for (const [key, family] of [['gateway', 4], ['gateway6', 6]] as const) {
    const gateway = network[key];
    if (!gateway || ipFamily(gateway.value) !== family) continue;
    const same = addresses.filter((a) => familyOf(a) === family);
    if (same.some((a) => contains(a.subnet, gateway.value))) continue;
    out.report(gateway, {
      code: 'net/gateway-outside-subnet',
      severity: 'error',
      message: same.length
        ? `${key} ${gateway.value} of node '${node.value.name}' lies outside its subnet${same.length > 1 ? 's' : ''} ${same.map((a) => a.subnet.canonical).join(', ')}`
        : `node '${node.value.name}' has ${key} ${gateway.value} but no IPv${family} address`,
      hint: same.length
        ? `a default gateway must be on the link: use an address inside ${same[0]!.subnet.canonical}, or fix the prefix length of ${same[0]!.value}`
        : `add an IPv${family} address to network.addresses, or remove ${key}`,
    });
  }
}

function checkNameservers({ node, addresses, network }: NodeAddressing, out: Diagnostics): void {
  if (!addresses.length || !network.nameservers) return;
  const families = new Set(addresses.map(familyOf));
  network.nameservers.value.forEach((server, i) => {
    const family = ipFamily(server);
    if (!family || families.has(family)) return;
    out.report(
      { value: server, doc: network.nameservers!.doc, path: [...network.nameservers!.path, i] },
      {
        code: 'net/nameserver-unreachable',
        severity: 'error',
        message: `nameserver ${server} of node '${node.value.name}' is IPv${family}, but the node has no static IPv${family} address`,
        hint: `list nameservers of the families in network.addresses, or add an IPv${family} address (NetworkManager refuses IPv${family} DNS on a connection without IPv${family})`,
      },
    );
  });
}

function checkInterface({ node, addresses, network, flannelInterface }: NodeAddressing, out: Diagnostics): void {
  const name = network.name;
  if (!addresses.length || !name || flannelInterface === undefined || name.value === flannelInterface) return;
  out.report(name, {
    code: 'net/interface-mismatch',
    severity: 'warning',
    message: `node '${node.value.name}' gets its static addresses on ${name.value}, but flanneld is told --iface=${flannelInterface}`,
    hint: `set the node's interface to ${name.value} (or leave network.name out: it defaults to the interface), unless flannel is meant to use another NIC`,
  });
}

interface Owner {
  readonly name: string;
  readonly at: Placed<string>;
  /** `ip`/`ipv6`, which node/duplicate-ip (check-nodes.ts) already compares among nodes. */
  readonly nodeIp: boolean;
}

function checkSharedAddresses(addressing: readonly NodeAddressing[], out: Diagnostics): void {
  // Without static addresses only ip/ipv6 could meet, and check-nodes.ts compares those.
  if (!addressing.some((one) => one.addresses.length > 0)) return;
  const owners = new Map<string, Owner[]>();
  for (const { node, addresses } of addressing) {
    const mine: (Owner & { host: string })[] = [];
    for (const key of ['ip', 'ipv6'] as const) {
      const ip = node.value[key];
      const host = ip === undefined ? undefined : canonicalAddress(ip);
      if (host !== undefined) mine.push({ host, name: node.value.name, at: { value: ip!, doc: node.doc, path: [key] }, nodeIp: true });
    }
    for (const address of addresses) mine.push({ host: address.host, name: node.value.name, at: address, nodeIp: false });
    for (const entry of mine) {
      const other = owners.get(entry.host)?.find((o) => o.name !== entry.name && !(o.nodeIp && entry.nodeIp));
      if (other) {
        out.report(entry.at, {
          code: 'node/duplicate-ip',
          severity: 'error',
          message: `address ${entry.host} of node '${entry.name}' is also an address of node '${other.name}'`,
          hint: `see ${where(other.at.doc, other.at.path)}; give every node addresses of its own (a role or the defaults cannot hold a node's address)`,
        });
      }
    }
    for (const entry of mine) owners.set(entry.host, [...(owners.get(entry.host) ?? []), entry]);
  }
}

function checkPodNetwork(cluster: Located<ClusterDoc>, addressing: readonly NodeAddressing[], out: Diagnostics): void {
  const k = cluster.value.kubernetes;
  const pods = [
    { text: k.clusterCIDR, path: ['kubernetes', 'clusterCIDR'] },
    ...(k.clusterCIDRv6 === undefined ? [] : [{ text: k.clusterCIDRv6, path: ['kubernetes', 'clusterCIDRv6'] }]),
  ].flatMap(({ text, path }) => {
    const cidr = parseCidr(text);
    return cidr ? [{ cidr, where: where(cluster.doc, path), key: path[1]! }] : [];
  });
  for (const { node, addresses } of addressing) {
    for (const address of addresses) {
      const pod = pods.find((p) => overlaps(p.cidr, address.subnet));
      if (!pod) continue;
      out.report(address, {
        code: 'net/pod-network-overlap',
        severity: 'error',
        message: `the subnet ${address.subnet.canonical} of node '${node.value.name}' overlaps the pod network ${pod.cidr.canonical}`,
        hint: `flannel routes all of ${pod.cidr.canonical} to pods: give the node an address outside it, or choose another ${pod.key} (${pod.where})`,
      });
    }
    for (const key of ['ip', 'ipv6'] as const) {
      const ip = node.value[key];
      const host = ip === undefined ? undefined : canonicalAddress(ip);
      const pod = host === undefined ? undefined : pods.find((p) => contains(p.cidr, host));
      if (!pod || addresses.some((a) => a.host === host)) continue;
      out.report({ value: ip!, doc: node.doc, path: [key] }, {
        code: 'net/pod-network-overlap',
        severity: 'error',
        message: `${key} ${ip} of node '${node.value.name}' lies inside the pod network ${pod.cidr.canonical}`,
        hint: `flannel routes all of ${pod.cidr.canonical} to pods: give the node an address outside it, or choose another ${pod.key} (${pod.where})`,
      });
    }
  }
  const host = apiServerHost(k.apiServer);
  const pod = host === undefined ? undefined : pods.find((p) => contains(p.cidr, host));
  if (pod) {
    out.report({ value: k.apiServer, doc: cluster.doc, path: ['kubernetes', 'apiServer'] }, {
      code: 'net/api-server-in-pod-network',
      severity: 'error',
      message: `the API server's address ${host} lies inside the pod network ${pod.cidr.canonical}`,
      hint: `flanneld on each node would route ${host} into the pod network and never reach the API server: use the API server's node address, or choose another ${pod.key} (${pod.where})`,
    });
  }
}

/** The API server URL's host when it is an IP address (brackets of an IPv6 literal removed). */
function apiServerHost(url: string): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return canonicalAddress(hostname.replace(/^\[(.*)\]$/, '$1'));
}

function checkHostGwSubnets(cluster: Located<ClusterDoc>, addressing: readonly NodeAddressing[], out: Diagnostics): void {
  if (cluster.value.flannel.backend.type !== 'host-gw') return;
  const groups: string[] = [];
  for (const family of [4, 6] as const) {
    const bySubnet = new Map<string, string[]>();
    for (const { node, addresses } of addressing) {
      const ip = node.value[family === 4 ? 'ip' : 'ipv6'];
      const host = ip === undefined ? undefined : canonicalAddress(ip);
      const same = addresses.filter((a) => familyOf(a) === family);
      // The subnet flanneld's address is in (its public IP), else the node's first of the family.
      const subnet = (same.find((a) => a.host === host) ?? same[0])?.subnet.canonical;
      if (subnet !== undefined) bySubnet.set(subnet, [...(bySubnet.get(subnet) ?? []), node.value.name]);
    }
    if (bySubnet.size > 1) groups.push(...[...bySubnet].map(([subnet, names]) => `${subnet} (${names.join(', ')})`));
  }
  if (!groups.length) return;
  out.report({ value: 'host-gw', doc: cluster.doc, path: ['flannel', 'backend', 'type'] }, {
    code: 'flannel/host-gw-subnets',
    severity: 'warning',
    message: `host-gw routes pod traffic straight to other nodes' addresses, which needs one L2 network, but the nodes are on several subnets: ${groups.join('; ')}`,
    hint: 'put the nodes on one subnet, or use the vxlan backend (with directRouting: true it still routes directly between nodes that share a subnet)',
  });
}
