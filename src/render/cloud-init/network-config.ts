/**
 * NoCloud `network-config` (version 2, the netplan-shaped format cloud-init 22.4 reads from a seed
 * disk) for a node with static addressing. Matching by MAC needs `set-name`, or cloud-init's ENI and
 * networkd renderers would name the interface after the YAML key instead of the NIC.
 * The IPv4 default route is a `routes` entry rather than the deprecated `gateway4`, written
 * `to: 0.0.0.0/0` because 22.4's v2 parser predates `to: default`. The IPv6 one stays `gateway6`:
 * 22.4 renders a `to: ::/0` route as `::/64` (its prefix 0 is lost when routes are normalised twice).
 */
import { dump } from 'js-yaml';
import type { ResolvedNode } from '../../resolve/project-model.ts';

export function renderNetworkConfig(node: Pick<ResolvedNode, 'network'>): string | undefined {
  const network = node.network;
  if (!network) return undefined;
  const ethernet: Record<string, unknown> = {};
  if (network.mac) {
    ethernet.match = { macaddress: network.mac };
    ethernet['set-name'] = network.name;
  }
  ethernet.dhcp4 = false;
  if (network.addresses.some((a) => a.includes(':'))) ethernet.dhcp6 = false;
  ethernet.addresses = [...network.addresses];
  if (network.gateway) ethernet.routes = [{ to: '0.0.0.0/0', via: network.gateway }];
  if (network.gateway6) ethernet.gateway6 = network.gateway6;
  if (network.nameservers.length || network.search.length) {
    ethernet.nameservers = {
      ...(network.nameservers.length ? { addresses: [...network.nameservers] } : {}),
      ...(network.search.length ? { search: [...network.search] } : {}),
    };
  }
  return dump({ version: 2, ethernets: { [network.name]: ethernet } }, { lineWidth: -1, noRefs: true });
}
