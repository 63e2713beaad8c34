/**
 * DHCP snippets that send each client to the right iPXE binary and iPXE to the cluster's boot.ipxe
 * (pure): out/<cluster>/dhcp/dnsmasq.conf, dhcpd.conf, kea-dhcp4.json. Written whenever boot.ipxe
 * is: a publishURL and at least one node with a MAC. One per cluster, never per node.
 */
import type { ResolvedCluster, ResolvedNode } from '../../resolve/project-model.ts';
import { dhcpBootChoices } from './boot-choices.ts';
import { dnsmasqConf } from './dnsmasq.ts';
import { dhcpdConf } from './isc-dhcpd.ts';
import { keaDhcp4Json } from './kea.ts';

export interface DhcpFile {
  /** Relative to out/<cluster>/. */
  readonly path: string;
  readonly data: string;
}

export function renderDhcp(cluster: Pick<ResolvedCluster, 'name' | 'publishURL' | 'bootAssets'>, nodes: readonly Pick<ResolvedNode, 'macs'>[]): DhcpFile[] {
  const publishURL = cluster.publishURL;
  if (publishURL === undefined || !nodes.some((n) => n.macs.length)) return [];
  const choices = dhcpBootChoices(cluster, publishURL);
  return [
    { path: 'dhcp/dnsmasq.conf', data: dnsmasqConf(choices) },
    { path: 'dhcp/dhcpd.conf', data: dhcpdConf(choices) },
    { path: 'dhcp/kea-dhcp4.json', data: keaDhcp4Json(choices) },
  ];
}
