/** The flannel module: net-conf.json, flanneld flags and unit, per OS and backend. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/build/load-project.ts';
import { planNode } from '../../../src/plan/plan-node.ts';
import { exampleProject, replaceOnce } from '../../helpers/project.ts';

function plan(edits: Parameters<typeof exampleProject>[0], nodeName: string) {
  const loaded = loadProject(exampleProject(edits), { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const node = loaded.project!.nodes.find((n) => n.name === nodeName)!;
  return planNode(loaded.project!, node).plan!;
}

const text = (p: ReturnType<typeof plan>, path: string): string => {
  const file = p.files.find((f) => f.path === path);
  if (file?.contents.kind !== 'inline') throw new Error(`${path} is not an inline file`);
  return file.contents.text;
};

describe('the flannel module', () => {
  it('writes net-conf.json with an explicit backend type and the backend options under flannel names', () => {
    const p = plan({}, 'cp-1');
    expect(JSON.parse(text(p, '/etc/kube-flannel/net-conf.json'))).toEqual({ Network: '10.244.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan', VNI: 1 } });
  });

  it('writes wireguard options and dual-stack settings', () => {
    const p = plan(
      {
        'cluster.yaml': (t) =>
          replaceOnce('    type: vxlan\n    vni: 1\n', '    type: wireguard\n    mode: separate\n    persistentKeepaliveInterval: 25\n')(
            replaceOnce('  network: 10.244.0.0/16', '  network: 10.244.0.0/16\n  ipv6Network: fd00:10:244::/56')(
              replaceOnce('  clusterCIDR: 10.244.0.0/16', '  clusterCIDR: 10.244.0.0/16\n  clusterCIDRv6: fd00:10:244::/56')(t),
            ),
          ),
      },
      'worker-2',
    );
    expect(JSON.parse(text(p, '/etc/kube-flannel/net-conf.json'))).toEqual({
      Network: '10.244.0.0/16',
      EnableIPv6: true,
      IPv6Network: 'fd00:10:244::/56',
      EnableNFTables: false,
      Backend: { Type: 'wireguard', PersistentKeepaliveInterval: 25, Mode: 'separate' },
    });
    expect(text(p, '/etc/sysctl.d/90-flannel.conf')).toMatch(/net\.bridge\.bridge-nf-call-ip6tables = 1/);
    expect(text(p, '/etc/modules-load.d/flannel.conf')).toBe('# Loaded at boot for flanneld (kindling)\nbr_netfilter\nwireguard\n');
  });

  it('puts flanneld in /opt/bin on Flatcar and /usr/local/bin elsewhere', () => {
    expect(plan({}, 'cp-1').files.some((f) => f.path === '/opt/bin/flanneld')).toBe(true);
    expect(plan({}, 'worker-1').files.some((f) => f.path === '/usr/local/bin/flanneld')).toBe(true);
    expect(plan({}, 'worker-2').files.some((f) => f.path === '/usr/local/bin/flanneld')).toBe(true);
  });

  it('writes the unit with NODE_NAME, every flag as --name=value, and no ordering before kubelet', () => {
    const unit = plan({}, 'worker-1').units.find((u) => u.name === 'flanneld.service')!.contents!;
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(/^Environment=NODE_NAME=worker-1$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(unit).toMatch(/^RuntimeDirectory=flannel$/m);
    expect(unit).toMatch(/^RuntimeDirectoryPreserve=yes$/m);
    const exec = unit.slice(unit.indexOf('ExecStart=')).split('\n').filter((l) => l.trim().startsWith('--') || l.startsWith('ExecStart='));
    const flags = exec.join(' ').replace(/\\/g, ' ').split(/\s+/).filter((t) => t.startsWith('--'));
    expect(flags).toEqual([
      '--kube-subnet-mgr=true',
      '--kubeconfig-file=/etc/kubernetes/flanneld.kubeconfig',
      '--net-config-path=/etc/kube-flannel/net-conf.json',
      '--subnet-file=/run/flannel/subnet.env',
      '--ip-masq=true',
      '--iface=ens3',
      '--public-ip=10.0.0.21',
      '--healthz-ip=127.0.0.1',
      '--healthz-port=8081',
    ]);
    expect(unit).not.toMatch(/^(Before|RequiredBy)=/m);
    expect(unit.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.toMatch(/kubelet|containerd|docker/);
  });

  const flanneldFlags = (p: ReturnType<typeof plan>): string[] => {
    const unit = p.units.find((u) => u.name === 'flanneld.service')!.contents!;
    return unit.slice(unit.indexOf('ExecStart=')).split(/\s+/).filter((t) => t.startsWith('--'));
  };

  it('turns flanneld health on at 127.0.0.1:8081 when the profile says nothing about it', () => {
    const p = plan({ 'cluster.yaml': replaceOnce('    healthz: { address: 127.0.0.1, port: 8081 }\n', '') }, 'worker-1');
    expect(flanneldFlags(p).filter((f) => f.startsWith('--healthz-'))).toEqual(['--healthz-ip=127.0.0.1', '--healthz-port=8081']);
  });

  it('gives Ignition nodes /etc/hostname (replacing the image one) and leaves cloud-init nodes to meta-data', () => {
    const hostname = plan({}, 'worker-1').files.find((f) => f.path === '/etc/hostname');
    expect(hostname).toMatchObject({ mode: 0o644, overwrite: true, contents: { kind: 'inline', text: 'worker-1\n' } });
    expect(plan({}, 'worker-2').files.some((f) => f.path === '/etc/hostname')).toBe(false);
  });

  it('writes the kubeconfig 0600 and marks it secret', () => {
    const kubeconfig = plan({}, 'cp-1').files.find((f) => f.path === '/etc/kubernetes/flanneld.kubeconfig')!;
    expect(kubeconfig.mode).toBe(0o600);
    expect(kubeconfig.secret).toBe(true);
  });

  it('escapes profile values for systemd', () => {
    const unit = plan({ 'roles/control-plane.yaml': replaceOnce('- --v=2', "- '--iptables-resync=5%'") }, 'cp-1').units.find((u) => u.name === 'flanneld.service')!.contents!;
    expect(unit).toMatch(/--iptables-resync=5%%/);
  });

  it('uses a template from the project when one is given', () => {
    const p = plan({ 'templates/flanneld.service.hbs': '[Service]\nEnvironment={{systemd-env "NODE_NAME" nodeName}}\nExecStart={{systemd-arg binary}}\n' }, 'cp-1');
    expect(p.units.find((u) => u.name === 'flanneld.service')!.contents).toBe('[Service]\nEnvironment=NODE_NAME=cp-1\nExecStart=/opt/bin/flanneld\n');
  });

  it('lets a role add a drop-in to flanneld.service', () => {
    const p = plan(
      { 'roles/control-plane.yaml': (t) => `${t}units:\n  - name: flanneld.service\n    dropins:\n      - name: 20-debug.conf\n        contents: "[Service]\\nEnvironment=FLANNELD_V=4\\n"\n` },
      'cp-1',
    );
    expect(p.units.find((u) => u.name === 'flanneld.service')!.dropins.map((d) => d.name)).toEqual(['20-debug.conf']);
  });
});
