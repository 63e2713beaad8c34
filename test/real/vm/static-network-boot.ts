/**
 * Issue 15: a statically addressed node's first boot. The fixture's flatcar node (cp-1) gets a
 * `network:` on qemu's user network (10.0.2.0/24, IPv6 fec0::/64) and a publishURL; the VM boots the
 * VM base's kernel and Ignition initrd with the kernel arguments kindling wrote into the node's iPXE
 * script (no `ip=dhcp`): its dracut `ip=`/`ifname=`/`nameserver=` arguments give the initramfs the
 * address, and Ignition fetches config.ign from the test server over it. After switch-root,
 * systemd-networkd applies the .network file Ignition wrote: a second address that only that file
 * holds shows it was used. A test-only unit of the node prints the network state on the console.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStaticServer } from '../harness/http-server.ts';
import type { StaticServer } from '../harness/http-server.ts';
import { builtNodes, kindlingBuild, mirrorFiles, writeFixtureProject } from '../harness/kindling-project.ts';
import { requireExecutables, requireRoot } from '../harness/run.ts';
import { makeStandIns } from '../harness/stand-ins.ts';
import type { BootSuite, BootTask } from './boot-lanes.ts';
import { parseConsoleReport } from './console-report.ts';
import type { ConsoleReport } from './console-report.ts';
import { makeDiskImage, readOnDisk, statOnDisk } from './disk-image.ts';
import { GUEST_MIRROR, userNetdev } from './guestfwd-relay.ts';
import { bootVm, consoleLogPath } from './qemu-boot.ts';
import type { QemuBoot } from './qemu-boot.ts';
import { ensureVmBase } from './vm-base.ts';
import { nodeFile } from './vm-fixture.ts';

const CLUSTER = 'realtest';
const MAC = '52:54:00:00:00:11';
const PUBLISH_URL = `${GUEST_MIRROR}/${CLUSTER}/`;

/** On qemu's user network: its gateway is 10.0.2.2 / fec0::2 and its DNS 10.0.2.3. */
const NETWORK = `network:
  mac: ${MAC}
  name: ens3
  addresses: [10.0.2.21/24, 10.0.2.31/24, fec0::21/64]
  gateway: 10.0.2.2
  gateway6: fec0::2
  nameservers: [10.0.2.3]
  search: [lab.example]
`;

/** Prints what networkd made of ens3 once the second address (only the .network file has it) is up. */
const NET_REPORT = `#!/bin/sh
exec >/dev/ttyS0 2>&1
for _ in $(seq 120); do ip -4 addr show dev ens3 2>/dev/null | grep -q 10.0.2.31/ && break; sleep 0.5; done
ip -o addr show dev ens3 | sed 's/^/NET-CHECK addr /'
ip route show default | sed 's/^/NET-CHECK route /'
ip -6 route show default | sed 's/^/NET-CHECK route /'
sed 's/^/NET-CHECK state /' "/run/systemd/netif/links/$(cat /sys/class/net/ens3/ifindex)"
echo "NET-CHECK mac $(cat /sys/class/net/ens3/address)"
`;

const NODE_EXTRAS = `files:
  - path: /opt/kindling-test/net-report
    mode: 0755
    contents:
      inline: ${JSON.stringify(NET_REPORT)}
units:
  - name: kindling-net-report.service
    enabled: true
    contents: |
      [Unit]
      Description=Report the network on the console (test only)
      [Service]
      Type=oneshot
      ExecStart=/opt/kindling-test/net-report
      [Install]
      WantedBy=multi-user.target
`;

/**
 * What the VM base's kernel needs beside kindling's own arguments (a Flatcar image has its platform
 * built in; this Debian initrd is told `metal`): no `ip=dhcp`, unlike the other boots.
 */
const BASE_CMDLINE = ['root=/dev/vda', 'rw', 'console=ttyS0', 'systemd.show_status=1', 'systemd.journald.forward_to_console=1', 'modprobe.blacklist=floppy', 'rd.shell=0', 'rd.emergency=reboot', 'ignition.firstboot', 'ignition.platform.id=metal'];

/** Registers the static-network boot's tests; first-boots.test.ts boots it alongside the others. */
export function staticNetworkBootSuite(): BootSuite {
  const work = mkdtempSync('/var/tmp/kindling-vm-static-');
  let server: StaticServer;
  let boot: QemuBoot;
  let report: ConsoleReport;
  let kernelArgs: string[] = [];
  let disk: string;
  const net: string[] = [];

  async function prepare(): Promise<BootTask[]> {
    requireRoot();
    requireExecutables(['qemu-system-x86_64', 'mkfs.ext4', 'debugfs', 'python3', 'timeout', 'openssl']);
    const base = await ensureVmBase();
    const standIns = await makeStandIns();
    server = await startStaticServer(mirrorFiles(standIns));

    const project = join(work, 'project');
    const out = join(work, 'out');
    await writeFixtureProject({ dir: project, mirror: GUEST_MIRROR, standIns });
    const nodes = join(project, 'nodes/nodes.yaml');
    const text = readFileSync(nodes, 'utf8');
    if (!text.includes('ip: 10.0.0.11\n')) throw new Error('the fixture changed: no cp-1 with ip 10.0.0.11');
    writeFileSync(nodes, text.replace('ip: 10.0.0.11\n', `ip: 10.0.2.21\n${NETWORK}${NODE_EXTRAS}`));
    writeFileSync(join(project, 'cluster.yaml'), `${readFileSync(join(project, 'cluster.yaml'), 'utf8')}\ndelivery:\n  publishURL: ${PUBLISH_URL}\n`);
    const build = await kindlingBuild(project, out);
    if (build.code !== 0) throw new Error(`kindling build failed (${build.code}):\n${build.stdout}${build.stderr}`);
    const node = builtNodes(out).find((n) => n.name === 'cp-1')!;
    server.set(`/${CLUSTER}/nodes/cp-1/config.ign`, nodeFile(node, 'config.ign'));

    // The node's own iPXE script, as a PXE boot would run it; the initrd is the VM base's.
    const script = readFileSync(join(out, CLUSTER, 'pxe/mac/52-54-00-00-00-11.ipxe'), 'utf8');
    kernelArgs = script.split('\n').find((l) => l.startsWith('kernel '))!.split(/\s+/).slice(2).filter((a) => !a.startsWith('initrd='));
    disk = join(work, 'disk.img');
    await makeDiskImage(base.ignitionRoot, disk);

    return [
      {
        label: 'flatcar-static',
        seconds: 85,
        run: async () => {
          boot = await bootVm({
            kernel: base.kernel,
            initrd: base.ignitionInitrd,
            cmdline: [...BASE_CMDLINE, ...kernelArgs].join(' '),
            disk,
            netdev: userNetdev(work, server.port),
            mac: MAC,
            timeoutSeconds: 600,
            consoleLog: consoleLogPath('ignition-flatcar-static'),
          });
          report = parseConsoleReport(boot.console);
          for (const line of boot.console.split(/\r?\n/)) {
            const at = line.indexOf('NET-CHECK ');
            if (at >= 0) net.push(line.slice(at + 'NET-CHECK '.length).trim());
          }
        },
      },
    ];
  }

  async function close() {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }

  describe('a statically addressed flatcar node → ip= in the initramfs, networkd after switch-root', () => {
    const context = () => `boot took ${boot.ms} ms; network lines:\n${net.join('\n')}\nconsole tail:\n${boot.console.slice(-6000)}`;

    it("boots with the static-addressing arguments of the node's iPXE script and no DHCP", () => {
      expect(kernelArgs).toEqual(
        expect.arrayContaining([
          `ifname=ens3:${MAC}`,
          'ip=10.0.2.21::10.0.2.2:255.255.255.0:cp-1:ens3:none',
          'ip=[fec0::21]::[fec0::2]:64:cp-1:ens3:none',
          'nameserver=10.0.2.3',
          'rd.neednet=1',
          `ignition.config.url=${PUBLISH_URL}nodes/cp-1/config.ign`,
        ]),
      );
      expect(kernelArgs.filter((a) => a.startsWith('ip='))).toHaveLength(2);
      expect(boot.ended, context()).toBe('exited');
      expect(report.done, context()).toBe(true);
    });

    it('fetches config.ign over the static address in the initramfs, and every Ignition stage passes', () => {
      // The initramfs's networkd took ens3's configuration from the `ip=` arguments (the file
      // systemd-network-generator makes of them), and DHCP never ran.
      const initrd = boot.console.slice(0, boot.console.indexOf('Switching root'));
      expect(initrd, context()).toMatch(/ens3: Configuring with \/run\/systemd\/network\/90-ens3\.network/);
      expect(boot.console).not.toMatch(/DHCPv4 address/);
      expect(server.requests.filter((r) => r.path === `/${CLUSTER}/nodes/cp-1/config.ign` && r.status === 200).length, context()).toBeGreaterThanOrEqual(1);
      for (const stage of ['fetch', 'kargs', 'disks', 'mount', 'files']) expect(boot.console, stage).toMatch(new RegExp(`${stage}: ${stage} passed`));
      expect(boot.console).not.toMatch(/CRITICAL/);
    });

    it("has the node's addresses, both default routes and its DNS from the .network file kindling wrote", () => {
      const addresses = net.filter((l) => l.startsWith('addr ')).map((l) => /inet6? (\S+)/.exec(l)?.[1]);
      expect(addresses, context()).toEqual(expect.arrayContaining(['10.0.2.21/24', '10.0.2.31/24', 'fec0::21/64']));
      expect(net, context()).toEqual(expect.arrayContaining([expect.stringMatching(/^route default via 10\.0\.2\.2 dev ens3 proto static/)]));
      // The static IPv6 default route; the kernel merges it with the router's advertised one into
      // one multipath route, so it shows as a `default` line or as one of its nexthops.
      expect(net, context()).toEqual(expect.arrayContaining([expect.stringMatching(/^route (default |\s*nexthop )via fec0::2 dev ens3/)]));
      expect(boot.console.slice(boot.console.indexOf('Switching root'))).toMatch(/ens3: Configuring with \/etc\/systemd\/network\/10-ens3\.network/);
      expect(net, context()).toEqual(expect.arrayContaining(['state NETWORK_FILE=/etc/systemd/network/10-ens3.network', 'state DNS=10.0.2.3', 'state DOMAINS=lab.example', `mac ${MAC}`]));
    });

    it('runs flanneld on the statically addressed node', () => {
      expect(report.get('unit', 'flanneld.service'), context()).toMatchObject({ enabled: 'enabled', active: 'active', result: 'success' });
      expect(report.get('host', '').name).toBe('cp-1');
    });

    it('left the .network and .link files on disk as Ignition wrote them', async () => {
      expect((await readOnDisk(disk, '/etc/systemd/network/10-ens3.network'))?.toString()).toContain('Address=10.0.2.31/24\n');
      expect(await statOnDisk(disk, '/etc/systemd/network/10-ens3.network')).toMatchObject({ type: 'regular', mode: 0o644, uid: 0, gid: 0 });
      expect((await readOnDisk(disk, '/etc/systemd/network/10-ens3.link'))?.toString()).toContain(`MACAddress=${MAC}\n`);
    });
  });

  return { prepare, close };
}
