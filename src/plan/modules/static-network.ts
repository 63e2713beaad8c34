/**
 * Static addressing of the node's primary NIC, from the same `network:` settings on every OS:
 * FCOS gets a NetworkManager keyfile (0600 and root's, or NetworkManager ignores it), Flatcar a
 * systemd-networkd .network file that sorts before the image's catch-all DHCP one, and a NIC matched
 * by MAC a .link file that names it. cloud-init nodes get NoCloud network-config instead, rendered
 * beside user-data (render/cloud-init/network-config.ts), so they get no file here.
 *
 * The entries depend on the node's own addresses: they are per-node entries, and which paths exist
 * (the interface name, whether a MAC is matched) is part of the node's plan group (plan-node.ts).
 */
import type { ResolvedNetwork, ResolvedNode } from '../../resolve/project-model.ts';
import type { PlanBuilder, PlannedFile } from '../node-plan.ts';
import { nameByMacLink, networkdNetwork, networkManagerKeyfile } from './static-network-files.ts';

/** The paths of a node's static-network files on its OS (empty for DHCP and cloud-init nodes). */
export function staticNetworkPaths(node: Pick<ResolvedNode, 'os' | 'network'>): { config?: string; link?: string } {
  const network = node.network;
  if (!network || node.os === 'cloud-init') return {};
  const config = node.os === 'fcos' ? `/etc/NetworkManager/system-connections/${network.name}.nmconnection` : `/etc/systemd/network/10-${network.name}.network`;
  return { config, ...(network.mac ? { link: `/etc/systemd/network/10-${network.name}.link` } : {}) };
}

export function addStaticNetwork(plan: PlanBuilder): void {
  const paths = staticNetworkPaths(plan.node);
  if (paths.config === undefined) return;
  const file = (path: string, mode: number, text: (network: ResolvedNetwork) => string) =>
    plan.perNodeFile((self): PlannedFile => ({
      path,
      mode,
      owner: 'root',
      group: 'root',
      contents: { kind: 'inline', text: text(networkOf(self)) },
      source: 'static-network',
      perNode: true,
    }));
  if (plan.node.os === 'fcos') file(paths.config, 0o600, networkManagerKeyfile);
  else file(paths.config, 0o644, networkdNetwork);
  if (paths.link !== undefined) file(paths.link, 0o644, (network) => nameByMacLink({ ...network, mac: network.mac! }));
}

/** A node of this plan's group has the same shape of network (plan-node.ts keys groups by it). */
function networkOf(node: ResolvedNode): ResolvedNetwork {
  if (!node.network) throw new Error(`node '${node.name}' was grouped with statically addressed nodes but has no network`);
  return node.network;
}
