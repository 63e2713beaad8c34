/**
 * Issue 15: a node's static addressing, as kindling plans it for each OS, read by the real
 * consumers: NetworkManager's own keyfile reader (nmcli --offline) for fcos, and the real
 * systemd-networkd applying the flatcar node's .network files to veth links in a private network
 * namespace (addresses, default routes, DNS and search domains as networkd reports them).
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { planNode } from '../../src/plan/plan-node.ts';
import type { PlannedFile } from '../../src/plan/node-plan.ts';
import { renderPxe } from '../../src/render/pxe/index.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleProject, replaceOnce } from '../helpers/project.ts';
import { run } from './harness/run.ts';
import { nmcliReadKeyfile, nmInitrdConnections } from './harness/network-manager-tools.ts';
import { runNetworkd } from './harness/networkd-netns.ts';

const N = 'nodes/nodes.yaml';

const DELIVERY = 'delivery:\n  publishURL: http://10.0.0.1:8080/lab/\n';

/** The example with `network:` lines added below `node`'s `ip:` line, and a publishURL for PXE. */
function projectWith(node: 'cp-1' | 'worker-1', ip: string, network: string, ownAddress = `ip: ${ip}`) {
  const dir = exampleProject({ [N]: replaceOnce(`ip: ${ip}\n`, `${ownAddress}\nnetwork:\n${network}`), 'cluster.yaml': (text) => `${text}\n${DELIVERY}` });
  const loaded = loadProject(dir, { env: {} });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.project || errors.length) throw new Error(`the project does not load: ${JSON.stringify(errors)}`);
  return { project: loaded.project, node: loaded.project.nodes.find((n) => n.name === node)! };
}

/** The files kindling plans for `node`. */
function plannedFiles(node: 'cp-1' | 'worker-1', ip: string, network: string, ownAddress?: string): readonly PlannedFile[] {
  const { project, node: resolved } = projectWith(node, ip, network, ownAddress);
  return planNode(project, resolved).plan!.files;
}

/** The kernel arguments of `node`'s iPXE script (iPXE splits on whitespace; nothing here is quoted). */
function pxeKernelArgs(node: 'cp-1' | 'worker-1', ip: string, network: string): string[] {
  const { project } = projectWith(node, ip, network);
  const mac = node === 'cp-1' ? '52-54-00-00-00-11' : '52-54-00-00-00-21';
  const script = renderPxe(project.cluster, project.nodes).files.find((f) => f.path === `pxe/mac/${mac}.ipxe`)!.data;
  return script.split('\n').find((l) => l.startsWith('kernel '))!.split(/\s+/).slice(2);
}

function text(file: PlannedFile | undefined): string {
  if (file?.contents.kind !== 'inline') throw new Error(`expected an inline file, got ${JSON.stringify(file)}`);
  return file.contents.text;
}

const keyfileOf = (files: readonly PlannedFile[]) => files.find((f) => f.path.startsWith('/etc/NetworkManager/system-connections/'));

describe("NetworkManager's keyfile reader on the fcos node's keyfile", () => {
  it('reads a dual-stack keyfile bound to the interface name, with gateways, DNS and search domains', async () => {
    const file = keyfileOf(plannedFiles('worker-1', '10.0.0.21', '  addresses: [10.0.0.21/24, fd00::21/64]\n  gateway: 10.0.0.1\n  gateway6: fd00::1\n  nameservers: [10.0.0.1, fd00::1]\n  search: [lab.example, example.org]\n'));
    expect(file?.path).toBe('/etc/NetworkManager/system-connections/ens3.nmconnection');
    const read = await nmcliReadKeyfile(text(file), 'ens3');
    expect(read.error).toBeUndefined();
    expect(read.version).toMatch(/version 1\.(4[2-9]|[5-9]\d)/);
    const k = read.keyfile!;
    expect(k.connection).toMatchObject({ id: 'ens3', type: 'ethernet', 'interface-name': 'ens3' });
    // NetworkManager writes the gateway beside the first address: it took both as one route.
    expect(k.ipv4).toEqual({ method: 'manual', address1: '10.0.0.21/24,10.0.0.1', dns: '10.0.0.1;', 'dns-search': 'lab.example;example.org;' });
    expect(k.ipv6).toEqual({ method: 'manual', address1: 'fd00::21/64,fd00::1', dns: 'fd00::1;' });
  });

  it('reads a keyfile that matches the NIC by MAC, IPv4 only, leaving IPv6 to router advertisements', async () => {
    const file = keyfileOf(plannedFiles('worker-1', '10.0.0.21', '  mac: 52:54:00:00:00:21\n  addresses: [10.0.0.21/24]\n  gateway: 10.0.0.1\n'));
    const read = await nmcliReadKeyfile(text(file), 'ens3');
    expect(read.error).toBeUndefined();
    expect(read.keyfile!.connection!['interface-name']).toBeUndefined();
    expect(read.keyfile!.ethernet).toEqual({ 'mac-address': '52:54:00:00:00:21' });
    expect(read.keyfile!.ipv4).toEqual({ method: 'manual', address1: '10.0.0.21/24,10.0.0.1' });
    expect(read.keyfile!.ipv6).toEqual({ method: 'auto' });
  });

  it('reads an IPv6-only keyfile, IPv4 disabled', async () => {
    // An IPv6-only node announces its IPv6 address (an IPv4 `ip` would be none of its addresses).
    const file = keyfileOf(plannedFiles('worker-1', '10.0.0.21', '  addresses: [fd00::21/64]\n  gateway6: fd00::1\n  nameservers: [fd00::1]\n  search: [lab.example]\n', 'ipv6: fd00::21'));
    const read = await nmcliReadKeyfile(text(file), 'ens3');
    expect(read.error).toBeUndefined();
    expect(read.keyfile!.ipv4).toEqual({ method: 'disabled' });
    expect(read.keyfile!.ipv6).toEqual({ method: 'manual', address1: 'fd00::21/64,fd00::1', dns: 'fd00::1;', 'dns-search': 'lab.example;' });
  });

  it('is strict: a keyfile NetworkManager cannot use is reported, not read as something else', async () => {
    // The reader must be able to fail, or the cases above would prove nothing.
    const read = await nmcliReadKeyfile('[connection]\nid=ens3\ntype=ethernet\n\n[ipv4]\nmethod=manual\n', 'ens3');
    expect(read.error).toMatch(/ipv4\.addresses/);
  });
});

describe("systemd-networkd on the flatcar node's .network files", () => {
  const networkFiles = (files: readonly PlannedFile[]) =>
    Object.fromEntries(files.filter((f) => /^\/etc\/systemd\/network\/[^/]+\.network$/.test(f.path)).map((f) => [f.path.slice('/etc/systemd/network/'.length), text(f)]));

  it('gives the NIC with the MAC, whatever its name, the addresses, both default routes, DNS and search domains', async () => {
    const files = networkFiles(plannedFiles('cp-1', '10.0.0.11', '  mac: 52:54:00:00:00:11\n  name: ens3\n  addresses: [10.0.0.11/24, fd00::11/64]\n  gateway: 10.0.0.1\n  gateway6: fd00::1\n  nameservers: [10.0.0.1, fd00::1]\n  search: [lab.example]\n'));
    // kindling's own flannel file travels with it: networkd must take both.
    expect(Object.keys(files).sort()).toEqual(['10-ens3.network', '50-flannel-unmanaged.network']);
    const result = await runNetworkd(files, [
      { name: 'eth9', mac: '52:54:00:00:00:11' },
      { name: 'ens3', mac: '52:54:00:00:00:99' },
      { name: 'flannel0', mac: '52:54:00:00:00:98' },
    ]);
    const context = `networkd log:\n${result.log}\nstates: ${JSON.stringify(result.states)}`;
    expect(result.addresses.eth9, context).toEqual(['10.0.0.11/24', 'fd00::11/64']);
    expect(result.routes, context).toContain('default via 10.0.0.1 dev eth9 proto static');
    expect(result.routes.some((r) => r.startsWith('default via fd00::1 dev eth9 proto static')), context).toBe(true);
    expect(result.states.eth9, context).toMatchObject({ ADMIN_STATE: 'configured', NETWORK_FILE: '/etc/systemd/network/10-ens3.network', DNS: '10.0.0.1 fd00::1', DOMAINS: 'lab.example' });
    // Matched by MAC, not by name: the other NIC called ens3 is left alone; flannel's is unmanaged.
    expect(result.addresses.ens3, context).toEqual([]);
    expect(result.states.ens3?.NETWORK_FILE, context).toBeUndefined();
    expect(result.states.flannel0?.ADMIN_STATE, context).toBe('unmanaged');
    expect(result.addresses.flannel0, context).toEqual([]);
  });

  it('gives the NIC with the interface name its addresses when no MAC is given', async () => {
    const files = networkFiles(plannedFiles('cp-1', '10.0.0.11', '  name: ens3\n  addresses: [10.0.0.11/24]\n  gateway: 10.0.0.1\n'));
    const result = await runNetworkd(files, [{ name: 'ens3', mac: '52:54:00:00:00:11' }]);
    const context = `networkd log:\n${result.log}`;
    expect(result.addresses.ens3, context).toEqual(['10.0.0.11/24']);
    expect(result.routes, context).toContain('default via 10.0.0.1 dev ens3 proto static');
    expect(result.states.ens3, context).toMatchObject({ ADMIN_STATE: 'configured', NETWORK_FILE: '/etc/systemd/network/10-ens3.network' });
  });
});

describe('the initramfs readers on the PXE kernel arguments of a statically addressed node', () => {
  const NETWORK = '  mac: 52:54:00:00:00:21\n  name: ens3\n  addresses: [10.0.0.21/24, fd00::21/64]\n  gateway: 10.0.0.1\n  gateway6: fd00::1\n  nameservers: [10.0.0.1, fd00::1]\n';

  it("gives FCOS's nm-initrd-generator a static connection for both families, with gateways, DNS and the hostname", async () => {
    const args = pxeKernelArgs('worker-1', '10.0.0.21', NETWORK);
    expect(args).toContain('ignition.config.url=http://10.0.0.1:8080/lab/nodes/worker-1/config.ign');
    const read = await nmInitrdConnections(args);
    expect(read.hostname, read.output).toBe('worker-1');
    const ens3 = read.connections.ens3!;
    expect(ens3, read.output).toBeDefined();
    expect(ens3.connection!['interface-name']).toBe('ens3');
    expect(ens3.ipv4).toMatchObject({ method: 'manual', address1: '10.0.0.21/24,10.0.0.1', dns: '10.0.0.1;', 'may-fail': 'false' });
    expect(ens3.ipv6).toMatchObject({ method: 'manual', address1: 'fd00::21/64,fd00::1', dns: 'fd00::1;' });
  });

  it("gives systemd-network-generator (Flatcar's initramfs) the addresses, gateways, DNS and the NIC's name by MAC", async () => {
    const args = pxeKernelArgs('cp-1', '10.0.0.11', NETWORK.replaceAll('.21', '.11').replaceAll('::21', '::11').replace(':00:21', ':00:11'));
    expect(args).toContain('ignition.config.url=http://10.0.0.1:8080/lab/nodes/cp-1/config.ign');
    const root = mkdtempSync(join(tmpdir(), 'kindling-network-generator-'));
    try {
      const result = await run('/lib/systemd/systemd-network-generator', [`--root=${root}`], { env: { ...process.env, SYSTEMD_PROC_CMDLINE: args.join(' ') } });
      expect(result.code, result.stderr).toBe(0);
      const dir = join(root, 'run/systemd/network');
      expect(readdirSync(dir).sort()).toEqual(['90-ens3.link', '90-ens3.network']);
      const network = readFileSync(join(dir, '90-ens3.network'), 'utf8');
      for (const line of ['Name=ens3', 'DHCP=no', 'DNS=10.0.0.1', 'DNS=fd00::1', 'Address=10.0.0.11/24', 'Address=fd00::11/64', 'Gateway=10.0.0.1', 'Gateway=fd00::1']) {
        expect(network.split('\n'), network).toContain(line);
      }
      expect(readFileSync(join(dir, '90-ens3.link'), 'utf8')).toMatch(/\[Match\]\nMACAddress=52:54:00:00:00:11\n\n\[Link\]\nName=ens3\n/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
