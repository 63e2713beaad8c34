/**
 * The texts of a node's static addressing, one per network stack: a NetworkManager keyfile (FCOS)
 * and a systemd-networkd .network file (Flatcar), plus the .link file that gives a NIC matched by
 * MAC its configured name (as cloud-init's `set-name` does). Every value reaching them is validated
 * (addresses, MAC, interface and domain names), so none can break a line or a section.
 */
import type { ResolvedNetwork } from '../../resolve/project-model.ts';

function family(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

function byFamily(network: ResolvedNetwork, wanted: 4 | 6): { addresses: string[]; nameservers: string[] } {
  return {
    addresses: network.addresses.filter((a) => family(a) === wanted),
    nameservers: network.nameservers.filter((a) => family(a) === wanted),
  };
}

/**
 * NetworkManager's keyfile (nm-settings-keyfile(5)). A NIC matched by MAC is matched by
 * `ethernet.mac-address` alone: the name it has at that moment may still be the kernel's. A family
 * without addresses is `disabled` for IPv4 (no DHCP on a statically addressed node) and `auto` for
 * IPv6 (router advertisements, as the kernel does without a manager). DNS servers and search
 * domains go with the family that carries them; the keyfile has no connection-wide DNS.
 */
export function networkManagerKeyfile(network: ResolvedNetwork): string {
  const v4 = byFamily(network, 4);
  const v6 = byFamily(network, 6);
  const lines = [`# Static addressing of ${network.name} (kindling)`, '[connection]', `id=${network.name}`, 'type=ethernet'];
  if (network.mac) lines.push('', '[ethernet]', `mac-address=${network.mac}`);
  else lines.push(`interface-name=${network.name}`);
  const searchGoesTo = v4.addresses.length ? 4 : 6;
  const section = (name: string, fam: 4 | 6, part: { addresses: string[]; nameservers: string[] }, gateway: string | undefined, none: string): void => {
    lines.push('', `[${name}]`);
    if (!part.addresses.length) {
      lines.push(`method=${none}`);
      return;
    }
    lines.push('method=manual');
    part.addresses.forEach((address, i) => lines.push(`address${i + 1}=${address}`));
    if (gateway) lines.push(`gateway=${gateway}`);
    if (part.nameservers.length) lines.push(`dns=${part.nameservers.join(';')};`);
    if (searchGoesTo === fam && network.search.length) lines.push(`dns-search=${network.search.join(';')};`);
  };
  section('ipv4', 4, v4, network.gateway, 'disabled');
  section('ipv6', 6, v6, network.gateway6, 'auto');
  return `${lines.join('\n')}\n`;
}

/** systemd-networkd's .network file (systemd.network(5)); `Type=ether` keeps a MAC match off VLANs that share the MAC. */
export function networkdNetwork(network: ResolvedNetwork): string {
  const lines = [`# Static addressing of ${network.name} (kindling)`, '[Match]'];
  if (network.mac) lines.push(`MACAddress=${network.mac}`, 'Type=ether');
  else lines.push(`Name=${network.name}`);
  lines.push('', '[Network]');
  for (const address of network.addresses) lines.push(`Address=${address}`);
  if (network.gateway) lines.push(`Gateway=${network.gateway}`);
  if (network.gateway6) lines.push(`Gateway=${network.gateway6}`);
  for (const server of network.nameservers) lines.push(`DNS=${server}`);
  if (network.search.length) lines.push(`Domains=${network.search.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** systemd.link(5): udev names the NIC with this MAC `name`. */
export function nameByMacLink(network: ResolvedNetwork & { readonly mac: string }): string {
  return `# Name the NIC with MAC ${network.mac} ${network.name} (kindling)\n[Match]\nMACAddress=${network.mac}\nType=ether\n\n[Link]\nName=${network.name}\n`;
}
