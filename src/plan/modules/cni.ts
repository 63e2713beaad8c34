/**
 * The CNI module: flannel's CNI plugin, the bridge/host-local/portmap/loopback plugins from the
 * containernetworking tarball (unpacked by a oneshot after a hash check), and the conflist.
 */
import type { PlanBuilder } from '../node-plan.ts';

const CNI_PATHS = {
  binDir: '/opt/cni/bin',
  confDir: '/etc/cni/net.d',
  conflist: '/etc/cni/net.d/10-flannel.conflist',
  tarball: '/opt/cni/downloads/cni-plugins.tgz',
  checksum: '/opt/cni/downloads/cni-plugins.tgz.sha512',
  installUnit: 'cni-plugins-install.service',
} as const;

/** Upstream's cni-conf.json (kube-flannel.yml v0.28.9), installed as the first conflist. */
function flannelConflist(): string {
  const conflist = {
    name: 'cbr0',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return `${JSON.stringify(conflist, null, 2)}\n`;
}

export function addCni(plan: PlanBuilder): void {
  const { artifacts } = plan.node;
  plan.directories.push({ path: '/opt/cni', mode: 0o755, source: 'cni' });
  plan.directories.push({ path: CNI_PATHS.binDir, mode: 0o755, source: 'cni' });
  plan.directories.push({ path: '/opt/cni/downloads', mode: 0o755, source: 'cni' });
  plan.directories.push({ path: '/etc/cni', mode: 0o755, source: 'cni' });
  plan.directories.push({ path: CNI_PATHS.confDir, mode: 0o755, source: 'cni' });
  plan.files.push({
    path: `${CNI_PATHS.binDir}/flannel`,
    mode: 0o755,
    owner: 'root',
    group: 'root',
    contents: { kind: 'remote', download: artifacts.cniPlugin },
    source: 'cni',
  });
  plan.files.push({
    path: CNI_PATHS.tarball,
    mode: 0o644,
    owner: 'root',
    group: 'root',
    contents: { kind: 'remote', download: artifacts.cniPlugins },
    source: 'cni',
  });
  const sha512 = artifacts.cniPlugins.sha512;
  if (sha512) {
    plan.files.push({
      path: CNI_PATHS.checksum,
      mode: 0o644,
      owner: 'root',
      group: 'root',
      contents: { kind: 'inline', text: `${sha512}  ${CNI_PATHS.tarball}\n` },
      source: 'cni',
    });
  }
  plan.files.push({ path: CNI_PATHS.conflist, mode: 0o644, owner: 'root', group: 'root', contents: { kind: 'inline', text: flannelConflist() }, source: 'cni' });
  // Bare names: with --no-anchored, tar matches them whether the archive says ./bridge or bridge.
  const members = artifacts.cniPlugins.members.map((m) => m.replace(/^\.\//, ''));
  plan.units.push({
    name: CNI_PATHS.installUnit,
    enabled: true,
    contents: plan.templates('cni-plugins-install.service', {
      members: members.join(', '),
      memberList: members,
      binDir: CNI_PATHS.binDir,
      tarball: CNI_PATHS.tarball,
      checksumFile: sha512 ? CNI_PATHS.checksum : '',
    }),
    dropins: [],
    needs: [CNI_PATHS.tarball],
    source: 'cni',
  });
}
