/**
 * A statically addressed Ignition node fetches its config (`ignition.config.url`) from the
 * initramfs, before any file Ignition writes exists: the initramfs must have the address already.
 * dracut's `ip=` arguments give it, read by NetworkManager's nm-initrd-generator (FCOS) and
 * systemd-network-generator (Flatcar): one per family, the first address of each (the node's own
 * network files carry the rest after switch-root). `ifname=` names a NIC matched by MAC as the
 * node's files do, and `rd.neednet=1` makes the initramfs bring the network up.
 */
import type { ResolvedNode } from '../../resolve/project-model.ts';

/** 24 → 255.255.255.0: the IPv4 `ip=` field is a netmask; the IPv6 one a prefix length. */
function netmask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 255).join('.');
}

export function staticAddressArgs(node: Pick<ResolvedNode, 'name' | 'network'>): string[] {
  const network = node.network;
  if (!network) return [];
  const args: string[] = [];
  if (network.mac) args.push(`ifname=${network.name}:${network.mac}`);
  const [v4] = network.addresses.filter((a) => !a.includes(':'));
  const [v6] = network.addresses.filter((a) => a.includes(':'));
  const split = (cidr: string): [string, number] => [cidr.slice(0, cidr.indexOf('/')), Number(cidr.slice(cidr.indexOf('/') + 1))];
  if (v4) {
    const [address, prefix] = split(v4);
    args.push(`ip=${address}::${network.gateway ?? ''}:${netmask(prefix)}:${node.name}:${network.name}:none`);
  }
  if (v6) {
    const [address, prefix] = split(v6);
    args.push(`ip=[${address}]::${network.gateway6 ? `[${network.gateway6}]` : ''}:${prefix}:${node.name}:${network.name}:none`);
  }
  for (const server of network.nameservers) args.push(`nameserver=${server}`);
  args.push('rd.neednet=1');
  return args;
}
