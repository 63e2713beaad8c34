/**
 * Host prerequisites for flanneld outside a pod: br_netfilter and the sysctls it exposes, a .link
 * file so udev leaves flannel's VTEP MAC alone, and configuration that keeps network managers away
 * from flannel and CNI devices.
 */
import type { PlanBuilder } from '../node-plan.ts';

export function addHostNetwork(plan: PlanBuilder): void {
  const { cluster, node } = plan;
  // kubelet registers the hostname; flanneld's NODE_NAME must match it. cloud-init sets it from
  // meta-data (local-hostname); Ignition has no such field, so the node gets /etc/hostname
  // (found by booting a real Ignition VM: it kept the image's hostname).
  if (node.os !== 'cloud-init') {
    plan.perNodeFile((self) => ({ path: '/etc/hostname', mode: 0o644, owner: 'root', group: 'root', contents: { kind: 'inline', text: `${self.name}\n` }, overwrite: true, source: 'network', perNode: true }));
  }
  const dual = cluster.flannel.ipv6Network !== undefined;
  const modules = ['br_netfilter'];
  if (cluster.flannel.backend.type === 'vxlan') modules.push('vxlan');
  if (cluster.flannel.backend.type === 'wireguard') modules.push('wireguard');
  const file = (path: string, text: string): void => {
    plan.files.push({ path, mode: 0o644, owner: 'root', group: 'root', contents: { kind: 'inline', text }, source: 'network' });
  };
  file('/etc/modules-load.d/flannel.conf', `# Loaded at boot for flanneld (kindling)\n${modules.join('\n')}\n`);
  const sysctls = ['net.ipv4.ip_forward = 1', 'net.bridge.bridge-nf-call-iptables = 1'];
  if (dual) sysctls.push('net.ipv6.conf.all.forwarding = 1', 'net.bridge.bridge-nf-call-ip6tables = 1');
  file('/etc/sysctl.d/90-flannel.conf', `# Forwarding and bridge netfilter for flannel (kindling)\n${sysctls.join('\n')}\n`);
  // systemd ≥ 242 would otherwise give flannel.1 a new MAC, breaking the VTEP annotation peers use.
  file('/etc/systemd/network/50-flannel.link', '[Match]\nOriginalName=flannel*\n\n[Link]\nMACAddressPolicy=none\n');
  if (node.os !== 'fcos') {
    file('/etc/systemd/network/50-flannel-unmanaged.network', '# Keep systemd-networkd away from flannel and CNI devices (kindling)\n[Match]\nName=flannel* cni0 veth*\n\n[Link]\nUnmanaged=yes\n');
  }
  if (node.os !== 'flatcar') {
    file('/etc/NetworkManager/conf.d/flannel.conf', '# Keep NetworkManager away from flannel and CNI devices (kindling)\n[keyfile]\nunmanaged-devices=interface-name:flannel*;interface-name:cni0;interface-name:veth*\n');
  }
}
