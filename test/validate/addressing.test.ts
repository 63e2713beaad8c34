/**
 * Cross-field checks of addressing (src/validate/check-addressing.ts): each bad input is one small
 * edit of the example, with the exact diagnostics it must produce (code, file, line, column). Errors
 * and warnings are compared whole, but for the example's own unpinned-download warnings.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadProject } from '../../src/build/load-project.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

const C = 'cluster.yaml';
const N = 'nodes/nodes.yaml';

/** Adds `network:` lines (indented by two) below a node's `ip:` line. */
const networkBelow = (ip: string, lines: string) => replaceOnce(`ip: ${ip}\n`, `ip: ${ip}\nnetwork:\n${lines}`);

interface Case {
  readonly name: string;
  readonly edits: Record<string, (text: string) => string>;
  readonly found: readonly { code: string; file: string; line: number; column: number; severity?: 'warning' }[];
  readonly message?: RegExp;
}

const cases: Case[] = [
  {
    name: "rejects an ip that is none of the node's static addresses, at the ip",
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [10.0.0.31/24]\n') },
    found: [{ code: 'net/ip-not-in-addresses', file: N, line: 17, column: 5 }],
    message: /node 'worker-1' has ip 10\.0\.0\.21, which is none of its static addresses \(10\.0\.0\.31\/24\)/,
  },
  {
    name: "rejects an ipv6 that is none of the node's IPv6 addresses",
    edits: { [N]: (t) => networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24, fd00::31/64]\n')(replaceOnce('ip: 10.0.0.21\n', 'ip: 10.0.0.21\nipv6: fd00::21\n')(t)) },
    found: [{ code: 'net/ip-not-in-addresses', file: N, line: 20, column: 7 }],
  },
  {
    name: 'rejects an ip when the static addresses hold none of its family (the node would have no IPv4 address)',
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [fd00::21/64]\n') },
    found: [{ code: 'net/ip-not-in-addresses', file: N, line: 17, column: 5 }],
    message: /node 'worker-1' has ip 10\.0\.0\.21, which is none of its static addresses \(fd00::21\/64\)/,
  },
  {
    name: 'accepts an ip written differently from its address (fd00:0::21 is fd00::21)',
    edits: { [N]: (t) => networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24, "fd00:0::21/64"]\n')(replaceOnce('ip: 10.0.0.21\n', 'ip: 10.0.0.21\nipv6: fd00::21\n')(t)) },
    found: [],
  },
  {
    name: "rejects an IPv4 gateway outside the node's subnet, at the gateway",
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24]\n  gateway: 10.0.1.1\n') },
    found: [{ code: 'net/gateway-outside-subnet', file: N, line: 20, column: 12 }],
    message: /gateway 10\.0\.1\.1 of node 'worker-1' lies outside its subnet 10\.0\.0\.0\/24/,
  },
  {
    name: "rejects an IPv6 gateway outside the node's IPv6 subnet",
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24, fd00::21/64]\n  gateway6: fd01::1\n') },
    found: [{ code: 'net/gateway-outside-subnet', file: N, line: 20, column: 13 }],
  },
  {
    name: 'rejects a gateway of a family the node has no address of',
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [fd00::21/64]\n  gateway: 10.0.0.1\n') },
    // The node's ip is then none of its addresses either.
    found: [{ code: 'net/ip-not-in-addresses', file: N, line: 17, column: 5 }, { code: 'net/gateway-outside-subnet', file: N, line: 20, column: 12 }],
  },
  {
    name: 'reports a gateway from the cluster defaults once, at the defaults, though two nodes take it',
    edits: {
      [C]: replaceOnce('  interface: eth0\n', '  interface: eth0\n  network:\n    gateway: 192.168.0.1\n'),
      [N]: (t) => networkBelow('10.0.0.22', '  addresses: [10.0.0.22/24]\n')(networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24]\n')(t)),
    },
    found: [{ code: 'net/gateway-outside-subnet', file: C, line: 37, column: 14 }],
  },
  {
    name: 'rejects a nameserver of a family the node has no address of',
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24]\n  nameservers: [10.0.0.1, fd00::1]\n') },
    found: [{ code: 'net/nameserver-unreachable', file: N, line: 20, column: 27 }],
  },
  {
    name: "rejects a static address that is another node's ip, at the later of the two",
    edits: { [N]: networkBelow('10.0.0.11', '  addresses: [10.0.0.11/24, 10.0.0.21/24]\n') },
    found: [{ code: 'node/duplicate-ip', file: N, line: 19, column: 5 }],
    message: /address 10\.0\.0\.21 of node 'worker-1' is also an address of node 'cp-1'/,
  },
  {
    name: "rejects a static IPv6 address that is another node's, however it is written",
    edits: { [N]: (t) => networkBelow('10.0.0.22', '  addresses: [10.0.0.22/24, "fd00:0:0::21/64"]\n')(networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24, fd00::21/64]\n')(t)) },
    found: [{ code: 'node/duplicate-ip', file: N, line: 30, column: 29 }],
  },
  {
    name: "rejects a node ipv6 that is another node's ipv6 written differently",
    edits: { [N]: (t) => replaceOnce('ip: 10.0.0.21\n', "ip: 10.0.0.21\nipv6: 'fd00:0:0::11'\n")(replaceOnce('ip: 10.0.0.11\n', 'ip: 10.0.0.11\nipv6: fd00::11\n')(t)) },
    found: [{ code: 'node/duplicate-ip', file: N, line: 19, column: 7 }],
  },
  {
    name: 'rejects a node subnet that overlaps the pod network, at the address',
    edits: { [N]: (t) => networkBelow('10.244.1.21', '  addresses: [10.244.1.21/24]\n')(replaceOnce('ip: 10.0.0.21\n', 'ip: 10.244.1.21\n')(t)) },
    found: [{ code: 'net/pod-network-overlap', file: N, line: 19, column: 15 }],
    message: /the subnet 10\.244\.1\.0\/24 of node 'worker-1' overlaps the pod network 10\.244\.0\.0\/16/,
  },
  {
    name: 'rejects a node subnet wider than the pod network that contains it',
    edits: { [N]: networkBelow('10.0.0.21', '  addresses: [10.0.0.21/8]\n') },
    found: [{ code: 'net/pod-network-overlap', file: N, line: 19, column: 15 }],
  },
  {
    name: 'rejects a node ip inside the pod network when the node has no static addresses',
    edits: { [N]: replaceOnce('ip: 10.0.0.11\n', 'ip: 10.244.0.11\n') },
    found: [{ code: 'net/pod-network-overlap', file: N, line: 8, column: 5 }],
  },
  {
    name: "rejects an API server address inside the pod network",
    edits: { [C]: replaceOnce('apiServer: https://10.0.0.10:6443', 'apiServer: https://10.244.0.10:6443') },
    found: [{ code: 'net/api-server-in-pod-network', file: C, line: 10, column: 14 }],
  },
  {
    name: 'rejects an IPv6 API server address inside the IPv6 pod network',
    edits: {
      [C]: (t) =>
        replaceOnce('  network: 10.244.0.0/16 ', '  network: 10.244.0.0/16\n  ipv6Network: fd10::/56 ')(
          replaceOnce('  clusterCIDR: 10.244.0.0/16 ', '  clusterCIDR: 10.244.0.0/16\n  clusterCIDRv6: fd10::/56 ')(replaceOnce('apiServer: https://10.0.0.10:6443', "apiServer: 'https://[fd10::10]:6443'")(t)),
        ),
    },
    found: [{ code: 'net/api-server-in-pod-network', file: C, line: 10, column: 14 }],
  },
  {
    name: "warns when the static network names another NIC than flanneld's interface, at the network's name",
    edits: { [N]: networkBelow('10.0.0.11', '  name: ens3\n  addresses: [10.0.0.11/24]\n') },
    found: [{ code: 'net/interface-mismatch', file: N, line: 10, column: 9, severity: 'warning' }],
    message: /node 'cp-1' gets its static addresses on ens3, but flanneld is told --iface=eth0/,
  },
  {
    name: "says nothing when the static network's NIC is flanneld's interface",
    edits: { [N]: networkBelow('10.0.0.21', '  name: ens3\n  addresses: [10.0.0.21/24]\n') },
    found: [],
  },
  {
    name: 'warns once about host-gw nodes on different subnets, naming them by subnet',
    edits: {
      [C]: replaceOnce('    type: vxlan\n    vni: 1\n', '    type: host-gw\n'),
      [N]: (t) =>
        networkBelow('10.0.0.22', '  addresses: [10.0.0.22/24]\n')(
          networkBelow('10.0.1.21', '  addresses: [10.0.1.21/24]\n')(networkBelow('10.0.0.11', '  addresses: [10.0.0.11/24]\n')(replaceOnce('ip: 10.0.0.21\n', 'ip: 10.0.1.21\n')(t))),
        ),
    },
    found: [{ code: 'flannel/host-gw-subnets', file: C, line: 21, column: 11, severity: 'warning' }],
    message: /the nodes are on several subnets: 10\.0\.0\.0\/24 \(cp-1, worker-2\); 10\.0\.1\.0\/24 \(worker-1\)/,
  },
  {
    name: 'says nothing about host-gw nodes that share one subnet',
    edits: {
      [C]: replaceOnce('    type: vxlan\n    vni: 1\n', '    type: host-gw\n'),
      [N]: (t) => networkBelow('10.0.0.21', '  addresses: [10.0.0.21/24]\n')(networkBelow('10.0.0.11', '  addresses: [10.0.0.11/24]\n')(t)),
    },
    found: [],
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('cross-field checks of addressing', () => {
  for (const c of cases) {
    it(c.name, () => {
      const loaded = loadProject(exampleProject(c.edits), { env: {} });
      const found = loaded.diagnostics.filter((d) => d.code !== 'artifact/unpinned');
      expect(found.map((d) => ({ code: d.code, severity: d.severity, file: d.location?.file, line: d.location?.line, column: d.location?.column }))).toEqual(
        c.found.map((e) => ({ code: e.code, severity: e.severity ?? 'error', line: e.line, column: e.column, file: expect.stringMatching(new RegExp(`${escape(join('profiles', e.file))}$`)) })),
      );
      for (const d of found) expect(d.hint, d.code).toBeTruthy();
      if (c.message) expect(found[0]?.message).toMatch(c.message);
    });
  }
});
