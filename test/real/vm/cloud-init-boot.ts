/**
 * Issue 4, item 4: the closest thing to a real cloud-init node. kindling's cloud-init node of the
 * fixture project, its NoCloud seed made by kindling's own ISO writer (packNoCloudSeedWithDigest) on a CD-ROM,
 * boots a Debian VM under qemu (TCG); the guest downloads the stand-in artifacts from the test server
 * through guestfwd; a harness-only unit reports the node's state on the serial console and powers off.
 * The disk is then read with debugfs as a second, independent check.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packNoCloudSeedWithDigest } from '../../../src/pack/nocloud-seed.ts';
import { startStaticServer } from '../harness/http-server.ts';
import type { StaticServer } from '../harness/http-server.ts';
import { FIXTURE_NODE_OS, FIXTURE_NODE_ROLE, FIXTURE_WORKER_UNIT, FLANNELD_PATH, mirrorFiles } from '../harness/kindling-project.ts';
import type { BuiltNode } from '../harness/kindling-project.ts';
import { requireExecutables, requireRoot } from '../harness/run.ts';
import { CNI_TARBALL_MEMBERS, makeStandIns } from '../harness/stand-ins.ts';
import { parseConsoleReport } from './console-report.ts';
import type { ConsoleReport } from './console-report.ts';
import { listOnDisk, makeDiskImage, readOnDisk, statOnDisk } from './disk-image.ts';
import { userNetdev } from './guestfwd-relay.ts';
import { bootVm, consoleLogPath } from './qemu-boot.ts';
import type { QemuBoot } from './qemu-boot.ts';
import { ensureVmBase } from './vm-base.ts';
import type { BootSuite } from './boot-lanes.ts';
import { buildFixtureForGuest, nodeFile } from './vm-fixture.ts';
import { expectFlannelMetricsServed } from './flannel-metrics-report.ts';
import { forwardedScrape } from './forwarded-scrape.ts';
import type { ForwardedScrapeResult } from './forwarded-scrape.ts';

/** The units kindling's cloud-init output installs and starts (the fixture worker's role adds the motd one). */
const KINDLING_UNITS = ['kindling-fetch.service', 'flanneld.service', 'cni-plugins-install.service', 'kindling-motd.service'];

/** Registers the cloud-init boot's tests; first-boots.test.ts boots it alongside the others. */
export function cloudInitBootSuite(): BootSuite {
  // /var/tmp: the 3 GB sparse disk image should not land on a small tmpfs.
  const work = mkdtempSync('/var/tmp/kindling-vm-ci-');
  let server: StaticServer | undefined;
  let standIns: Awaited<ReturnType<typeof makeStandIns>>;
  let node: BuiltNode;
  let boot: QemuBoot;
  let report: ConsoleReport;
  let scrape: ForwardedScrapeResult;
  const disk = join(work, 'disk.img');

  async function prepare() {
    requireRoot();
    requireExecutables(['qemu-system-x86_64', 'mkfs.ext4', 'debugfs', 'python3', 'timeout', 'kubectl', 'openssl']);
    const base = await ensureVmBase();
    standIns = await makeStandIns();
    const started = await startStaticServer(mirrorFiles(standIns));
    server = started;

    const nodes = await buildFixtureForGuest(work, 'good', standIns);
    const cloudInit = nodes.find((n) => FIXTURE_NODE_OS[n.name] === 'cloud-init');
    if (!cloudInit) throw new Error(`the fixture built no cloud-init node (${nodes.map((n) => n.name).join(', ')})`);
    node = cloudInit;
    const seed = join(work, 'seed.iso');
    writeFileSync(seed, packNoCloudSeedWithDigest({ 'user-data': nodeFile(node, 'user-data'), 'meta-data': nodeFile(node, 'meta-data') }).image);

    // This boot is also the one a real Prometheus on the host scrapes, through qemu's hostfwd.
    const forwarded = await forwardedScrape(started, join(work, 'good-out', 'realtest', 'monitoring'), node.name, join(work, 'prometheus'));

    const run = async () => {
      await makeDiskImage(base.cloudInitRoot, disk);
      let ended = false;
      const booting = bootVm({
        kernel: base.kernel,
        initrd: base.cloudInitInitrd,
        // No floppy drive to probe (its I/O errors cost seconds under TCG).
        cmdline: `root=/dev/vda rw console=ttyS0 systemd.show_status=1 modprobe.blacklist=floppy ${forwarded.holdArgument}`,
        disk,
        netdev: userNetdev(work, started.port, 'n0', [forwarded.hostfwd]),
        extraArgs: ['-cdrom', seed],
        timeoutSeconds: 600,
        consoleLog: consoleLogPath('cloud-init-worker-2'),
      }).finally(() => {
        ended = true;
      });
      scrape = await forwarded.observe(() => ended);
      boot = await booting;
      report = parseConsoleReport(boot.console);
    };
    return [{ label: 'cloud-init', seconds: 90, run }];
  }

  async function close() {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }

  describe('kindling cloud-init node → a Debian VM boots it under qemu', () => {

    const context = () => `boot took ${boot.ms} ms; console tail:\n${boot.console.slice(-6000)}`;

    it('boots, reports over the serial console and powers off by itself', () => {
      expect(boot.ended, context()).toBe('exited');
      expect(boot.code, context()).toBe(0);
      expect(report.done, context()).toBe(true);
      expect(report.get('settle', '').seconds, 'first boot settled before the report').toBeDefined();
    });

    it('finds the seed on the CD-ROM and cloud-init finishes with no errors', () => {
      const cloudInit = report.get('cloud-init', '');
      expect(cloudInit.status, context()).toBe('done');
      expect(cloudInit.errors, context()).toBe('0');
      expect(cloudInit.long, 'the seed came from the NoCloud CD-ROM').toMatch(/NoCloud.*\/dev\/sr0/);
    });

    it('enables and starts every unit kindling wrote, and flanneld.service reaches active from the stand-in', () => {
      for (const unit of ['kindling-fetch.service', 'flanneld.service', 'cni-plugins-install.service']) {
        expect(report.get('unit', unit), `${unit}\n${context()}`).toMatchObject({ enabled: 'enabled', active: 'active', result: 'success' });
      }
      // READY=1 came from the stand-in's main process: systemd shows the STATUS= it sent with it.
      expect(report.get('unit', 'flanneld.service').status).toBe('stand-in_flanneld_running');
      // The role's oneshot has no RemainAfterExit: inactive once it ran; its result and its file prove it did.
      expect(report.get('unit', FIXTURE_WORKER_UNIT)).toMatchObject({ enabled: 'enabled', result: 'success' });
      expect(report.get('file', '/run/kindling-provisioned').mode).toBeDefined();
      const failed = (report.get('failed', '').units ?? '').split(',').filter(Boolean);
      expect(failed, context()).toEqual([]);
    });

    it('installs flanneld byte-equal to the served stand-in, and the CNI plugins', () => {
      const flanneld = report.get('file', FLANNELD_PATH['cloud-init']);
      expect(flanneld, context()).toMatchObject({ mode: '755', owner: 'root:root', sha512: standIns.flanneld.sha512 });
      expect(report.get('file', '/opt/cni/bin/flannel')).toMatchObject({ mode: '755', sha512: standIns.flannelCni.sha512 });
      for (const name of CNI_TARBALL_MEMBERS) {
        expect(report.get('file', `/opt/cni/bin/${name}`).sha512, name).toMatch(/^[0-9a-f]{128}$/);
      }
      expect(report.get('file', '/etc/kindling/role')).toMatchObject({ mode: '644' });
    });

    it('serves flannel metrics through the socket-activated endpoint, which promtool check metrics accepts and which refuses POST', () => {
      expectFlannelMetricsServed(report, boot.console, node.name, context());
    });

    it('is scraped by a real Prometheus through qemu\'s port forwarding: flannel_ready 1, then 0 once flanneld is stopped', () => {
      expect(scrape.error, context()).toBeUndefined();
      expect(scrape.ready?.metric, context()).toMatchObject({ __name__: 'flannel_ready', job: 'flannel', node: node.name, role: 'worker', os: 'cloud-init', cluster: 'realtest' });
      expect(scrape.notReady?.metric.node).toBe(node.name);
      // The guest held, stopped flanneld when told to, and was released rather than timing out.
      expect(report.all('hold').map((l) => l.fields.flanneld ?? l.fields.ended ?? l.subject), context()).toEqual(['started', 'inactive', 'poweroff']);
    });

    it("takes the node's name as its hostname from meta-data", () => {
      expect(report.get('host', '').name, context()).toBe(node.name);
    });

    it('leaves the kubeconfig 0600 root:root and /run/flannel present', () => {
      expect(report.get('file', '/etc/kubernetes/flanneld.kubeconfig'), context()).toMatchObject({ mode: '600', owner: 'root:root' });
      expect(report.get('dir', '/run/flannel').exists).toBe('yes');
    });

    // This boot found it first: cloud-init writes /etc/modules-load.d and /etc/sysctl.d in its init
    // stage, after systemd-modules-load and systemd-sysctl have run, so on first boot br_netfilter was
    // not loaded and net.ipv4.ip_forward was 0 until the generator learned to apply them (a95f07a).
    it('has br_netfilter loaded and the sysctls applied on first boot', () => {
      expect(report.get('module', 'br_netfilter').loaded, context()).toBe('yes');
      const sysctls = report.all('sysctl');
      expect(sysctls.map((s) => s.subject)).toEqual(expect.arrayContaining(['net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables']));
      for (const { subject, fields } of sysctls) expect(fields.have, subject).toBe(fields.want);
    });

    it('downloaded every artifact from the test server through the guestfwd relay', () => {
      const served = Object.keys(mirrorFiles(standIns));
      for (const path of served) {
        expect(server!.requests.filter((r) => r.path === path && r.status === 200).length, path).toBeGreaterThanOrEqual(1);
      }
      expect(server!.requests.filter((r) => r.status !== 200)).toEqual([]);
    });

    it('left on disk what the guest reported (read back with debugfs after poweroff)', async () => {
      expect(await readOnDisk(disk, FLANNELD_PATH['cloud-init'])).toEqual(standIns.flanneld.bytes);
      expect(await statOnDisk(disk, FLANNELD_PATH['cloud-init'])).toMatchObject({ type: 'regular', mode: 0o755, uid: 0, gid: 0 });
      expect(await statOnDisk(disk, '/etc/kubernetes/flanneld.kubeconfig')).toMatchObject({ type: 'regular', mode: 0o600, uid: 0, gid: 0 });
      for (const name of CNI_TARBALL_MEMBERS) {
        expect(await readOnDisk(disk, `/opt/cni/bin/${name}`), name).toEqual(standIns.cniTarball.members[name]);
      }
      expect(await readOnDisk(disk, '/opt/cni/bin/flannel')).toEqual(standIns.flannelCni.bytes);
      expect((await readOnDisk(disk, '/etc/kindling/role'))?.toString().trim()).toBe(FIXTURE_NODE_ROLE[node.name]);
      const wants = await listOnDisk(disk, '/etc/systemd/system/multi-user.target.wants');
      expect(wants).toEqual(expect.arrayContaining(KINDLING_UNITS));
    });
  });

  return { prepare, close };
}
