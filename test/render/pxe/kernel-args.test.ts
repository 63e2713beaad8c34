import { describe, expect, it } from 'vitest';
import { kernelArgs } from '../../../src/render/pxe/kernel-args.ts';
import { staticAddressArgs } from '../../../src/render/pxe/static-address-args.ts';
import { nodeBootAssets } from '../../../src/render/pxe/boot-assets.ts';
import type { ResolvedNetwork, ResolvedNode } from '../../../src/resolve/project-model.ts';

const DUAL: ResolvedNetwork = { name: 'ens3', mac: '52:54:00:00:00:21', addresses: ['10.0.0.21/24', 'fd00::21/64', '10.0.1.21/24'], gateway: '10.0.0.1', gateway6: 'fd00::1', nameservers: ['10.0.0.1', 'fd00::1'], search: ['lab.example'] };

describe('static addressing on the PXE kernel command line', () => {
  it("gives a statically addressed node dracut's ip=, ifname= and nameserver= arguments for its first address of each family", () => {
    expect(staticAddressArgs({ name: 'worker-1', network: DUAL })).toEqual([
      'ifname=ens3:52:54:00:00:00:21',
      'ip=10.0.0.21::10.0.0.1:255.255.255.0:worker-1:ens3:none',
      'ip=[fd00::21]::[fd00::1]:64:worker-1:ens3:none',
      'nameserver=10.0.0.1',
      'nameserver=fd00::1',
      'rd.neednet=1',
    ]);
  });

  it('leaves the gateway empty when there is none, and names the interface without ifname= when no MAC is matched', () => {
    expect(staticAddressArgs({ name: 'cp-1', network: { name: 'eth1', addresses: ['192.168.7.5/20'], nameservers: [], search: [] } })).toEqual([
      'ip=192.168.7.5:::255.255.240.0:cp-1:eth1:none',
      'rd.neednet=1',
    ]);
  });

  it('adds nothing for a DHCP node', () => {
    expect(staticAddressArgs({ name: 'cp-1' })).toEqual([]);
  });

  it('puts them on the command line of fcos and flatcar nodes, before the boot assets’ own arguments', () => {
    const publishURL = 'http://10.0.0.1:8080/lab/';
    for (const os of ['fcos', 'flatcar'] as const) {
      const node = { name: 'worker-1', os, arch: 'amd64', network: DUAL } as unknown as ResolvedNode;
      const assets = { ...nodeBootAssets(undefined, publishURL, node), kernelArgs: ['console=ttyS0'] };
      const args = kernelArgs(node, assets, publishURL).args;
      expect(args.slice(-7), os).toEqual([...staticAddressArgs(node), 'console=ttyS0']);
      expect(args.some((a) => a.startsWith('ignition.config.url=')), os).toBe(true);
    }
  });
});

describe('kernel arguments of a node that installs to disk', () => {
  const publishURL = 'http://10.0.0.1:8080/lab/';
  const install = { disk: '/dev/sda', flatcar: { channel: 'stable', version: 'current' }, origin: { file: 'n.yaml', line: 1, column: 1 } } as const;
  const node = (os: 'fcos' | 'flatcar' | 'cloud-init', extra: Partial<ResolvedNode> = {}): ResolvedNode =>
    ({ name: 'worker-1', os, arch: 'amd64', install, ...extra }) as unknown as ResolvedNode;
  const argsOf = (n: ResolvedNode): readonly string[] => kernelArgs(n, nodeBootAssets(undefined, publishURL, n), publishURL).args;

  it('starts coreos-installer on an fcos node with its disk and its own config, and gives the live system no config', () => {
    const args = argsOf(node('fcos', { network: DUAL }));
    expect(args).toEqual([
      `coreos.live.rootfs_url=${publishURL}assets/fcos/amd64/fedora-coreos-live-rootfs.img`,
      'ignition.firstboot',
      'ignition.platform.id=metal',
      'coreos.inst.install_dev=/dev/sda',
      `coreos.inst.ignition_url=${publishURL}nodes/worker-1/config.ign`,
      ...staticAddressArgs({ name: 'worker-1', network: DUAL }),
    ]);
  });

  it('boots a flatcar node with its installer config instead of its own config', () => {
    expect(argsOf(node('flatcar'))).toEqual(['flatcar.first_boot=1', `ignition.config.url=${publishURL}nodes/worker-1/install.ign`]);
  });

  it("boots a cloud-init node into Ubuntu's installer with the ISO, autoinstall and the node's autoinstall seed", () => {
    const n = node('cloud-init');
    const assets = nodeBootAssets(undefined, publishURL, n);
    expect(assets).toMatchObject({ kernelUrl: `${publishURL}assets/ubuntu/amd64/vmlinuz`, initrdUrl: `${publishURL}assets/ubuntu/amd64/initrd`, initrdName: 'initrd' });
    expect(argsOf(n)).toEqual([
      'ip=dhcp',
      `url=${publishURL}assets/ubuntu/amd64/live-server.iso`,
      'autoinstall',
      `ds=nocloud-net;s=${publishURL}nodes/worker-1/autoinstall/`,
      'cloud-config-url=/dev/null',
    ]);
  });

  it('takes the installer assets from bootAssets.autoinstall', () => {
    const n = node('cloud-init', { arch: 'arm64' });
    const assets = nodeBootAssets({ baseURL: 'http://assets.lab/', autoinstall: { iso: 'ubuntu-24.04.1-live-server-<arch>.iso', kernelArgs: ['console=ttyAMA0'] } }, publishURL, n);
    expect(kernelArgs(n, assets, publishURL).args).toEqual([
      'ip=dhcp',
      'url=http://assets.lab/ubuntu-24.04.1-live-server-arm64.iso',
      'autoinstall',
      `ds=nocloud-net;s=${publishURL}nodes/worker-1/autoinstall/`,
      'cloud-config-url=/dev/null',
      'console=ttyAMA0',
    ]);
  });
});
