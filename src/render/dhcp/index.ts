/**
 * DHCP snippets that send each client to the right boot loader and iPXE to the cluster's boot.ipxe
 * (pure): out/<cluster>/dhcp/dnsmasq.conf, dhcpd.conf, kea-dhcp4.json. One per cluster, never per
 * node; the build writes them whenever some node has a PXE entry (build-project.ts).
 */
import type { ResolvedCluster } from '../../resolve/project-model.ts';
import type { BootLoader } from '../../validate/profile-types.ts';
import { dhcpBootChoices } from './boot-choices.ts';
import { dnsmasqConf } from './dnsmasq.ts';
import { dhcpdConf } from './isc-dhcpd.ts';
import { keaDhcp4Json } from './kea.ts';

export interface DhcpFile {
  /** Relative to out/<cluster>/. */
  readonly path: string;
  readonly data: string;
}

export function renderDhcp(cluster: Pick<ResolvedCluster, 'name' | 'bootAssets'>, publishURL: string, loaders: readonly BootLoader[]): DhcpFile[] {
  const choices = dhcpBootChoices(cluster, publishURL, loaders);
  return [
    { path: 'dhcp/dnsmasq.conf', data: dnsmasqConf(choices) },
    { path: 'dhcp/dhcpd.conf', data: dhcpdConf(choices) },
    { path: 'dhcp/kea-dhcp4.json', data: keaDhcp4Json(choices) },
  ];
}
