/**
 * Issue 7: a real Ignition first boot of kindling's config.ign. A Debian VM whose dracut initrd
 * carries Debian's 30ignition module boots under qemu (TCG); Ignition's fetch, kargs, disks, mount and
 * files stages run against /sysroot in the initrd, fetching the stand-in artifacts from the test
 * server through guestfwd; after switch-root systemd applies Ignition's preset on this first boot and
 * runs the units it wrote. A harness-only unit reports on the serial console and powers off; the
 * disk is then read with debugfs.
 *
 * Boots: the fcos node with the config on fw_cfg (ignition.platform.id=qemu), the flatcar node with
 * the config fetched from the test server (ignition.platform.id=metal), and the flatcar node with a
 * wrong pinned flanneld hash, which must stop the boot in the initramfs. Both variants, both ways of
 * getting the config. The boots run two at a time (this machine has two cores and each TCG guest
 * mostly keeps one busy), which keeps the suite near three minutes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStaticServer } from '../harness/http-server.ts';
import type { StaticServer } from '../harness/http-server.ts';
import { FIXTURE_NODE_OS, FIXTURE_NODE_ROLE, FIXTURE_USER, FIXTURE_WORKER_UNIT, FLANNELD_PATH, mirrorFiles } from '../harness/kindling-project.ts';
import type { BuiltNode } from '../harness/kindling-project.ts';
import { requireExecutables, requireRoot } from '../harness/run.ts';
import { CNI_TARBALL_MEMBERS, flanneldStandIn, makeStandIns } from '../harness/stand-ins.ts';
import { parseConsoleReport } from './console-report.ts';
import { expectFlannelMetricsServed } from './flannel-metrics-report.ts';
import type { ConsoleReport } from './console-report.ts';
import { makeDiskImage, readOnDisk, statOnDisk } from './disk-image.ts';
import { GUEST_MIRROR, userNetdev } from './guestfwd-relay.ts';
import { bootVm, consoleLogPath } from './qemu-boot.ts';
import type { QemuBoot } from './qemu-boot.ts';
import { ensureVmBase } from './vm-base.ts';
import type { BootSuite, BootTask } from './boot-lanes.ts';
import type { VmBase } from './vm-base.ts';
import { buildFixtureForGuest, nodeFile } from './vm-fixture.ts';

type IgnitionOs = 'flatcar' | 'fcos';
type Platform = 'qemu' | 'metal';

interface IgnitionBoot {
  readonly label: string;
  readonly node: BuiltNode;
  readonly os: IgnitionOs;
  readonly platform: Platform;
  readonly config: Buffer;
  readonly disk: string;
  readonly boot: QemuBoot;
  readonly report: ConsoleReport;
}

/** Every boot: Ignition's log on the console, and an Ignition failure ends qemu instead of a prompt. */
const BASE_CMDLINE = [
  'root=/dev/vda rw console=ttyS0 systemd.show_status=1 systemd.journald.forward_to_console=1 modprobe.blacklist=floppy',
  'ip=dhcp rd.shell=0 rd.emergency=reboot ignition.firstboot',
].join(' ');

/** Ignition's own failure line, or the initrd giving up on the files stage. */
const IGNITION_FAILED = /CRITICAL\s*:\s*Ignition failed|Failed to start .*Ignition \(files\)|ignition-files\.service: Failed/;

/** Registers the Ignition boots' tests; first-boots.test.ts boots them alongside the others. */
export function ignitionBootSuite(): BootSuite {
  const work = mkdtempSync('/var/tmp/kindling-vm-ign-');
  let base: VmBase;
  let server: StaticServer;
  let standIns: Awaited<ReturnType<typeof makeStandIns>>;
  /** The two good boots, in the order they ended. */
  const boots: IgnitionBoot[] = [];
  let wrong: IgnitionBoot;

  async function bootNode(label: string, node: BuiltNode, platform: Platform, failOn?: RegExp): Promise<IgnitionBoot> {
    const os = FIXTURE_NODE_OS[node.name];
    if (os !== 'flatcar' && os !== 'fcos') throw new Error(`${node.name} is not an Ignition node`);
    const config = nodeFile(node, 'config.ign');
    const dir = join(work, label);
    rmSync(dir, { recursive: true, force: true });
    const disk = join(work, `${label}.img`);
    await makeDiskImage(base.ignitionRoot, disk);
    const configFile = join(work, `${label}.ign`);
    writeFileSync(configFile, config);
    let cmdline = `${BASE_CMDLINE} ignition.platform.id=${platform}`;
    const extraArgs: string[] = [];
    if (platform === 'qemu') {
      extraArgs.push('-fw_cfg', `name=opt/com.coreos/config,file=${configFile}`);
    } else {
      const path = `/kindling-vm/${label}/config.ign`;
      server.set(path, config);
      cmdline += ` ignition.config.url=${GUEST_MIRROR}${path}`;
    }
    const boot = await bootVm({
      kernel: base.kernel,
      initrd: base.ignitionInitrd,
      cmdline,
      disk,
      netdev: userNetdev(work, server.port),
      extraArgs,
      timeoutSeconds: 600,
      consoleLog: consoleLogPath(`ignition-${label}`),
      ...(failOn ? { failOn, graceMs: 90_000 } : {}),
    });
    return { label, node, os, platform, config, disk, boot, report: parseConsoleReport(boot.console) };
  }

  async function prepare(): Promise<BootTask[]> {
    requireRoot();
    requireExecutables(['qemu-system-x86_64', 'mkfs.ext4', 'debugfs', 'python3', 'timeout', 'kubectl', 'openssl']);
    base = await ensureVmBase();
    standIns = await makeStandIns();
    server = await startStaticServer(mirrorFiles(standIns));

    const nodes = (await buildFixtureForGuest(work, 'good', standIns)).filter((n) => n.kind === 'ignition');
    const byOs = (os: IgnitionOs) => {
      const found = nodes.find((n) => FIXTURE_NODE_OS[n.name] === os);
      if (!found) throw new Error(`the fixture built no ${os} node (${nodes.map((n) => n.name).join(', ')})`);
      return found;
    };
    const wrongNodes = await buildFixtureForGuest(work, 'wrong-hash', standIns, {
      flanneld: flanneldStandIn('v0.0.0-not-the-served-one').sha512,
    });
    const wrongFlatcar = wrongNodes.find((n) => FIXTURE_NODE_OS[n.name] === 'flatcar');
    if (!wrongFlatcar) throw new Error('the wrong-hash fixture built no flatcar node');

    return [
      { label: 'fcos-qemu', seconds: 80, run: async () => void boots.push(await bootNode('fcos-qemu', byOs('fcos'), 'qemu')) },
      { label: 'flatcar-metal', seconds: 85, run: async () => void boots.push(await bootNode('flatcar-metal', byOs('flatcar'), 'metal')) },
      { label: 'flatcar-wrong-hash', seconds: 30, run: async () => void (wrong = await bootNode('flatcar-wrong-hash', wrongFlatcar, 'qemu', IGNITION_FAILED)) },
    ];
  }

  async function close() {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }

  describe('kindling Ignition nodes → a real Ignition first boot under qemu', () => {
    const context = (b: IgnitionBoot) => `${b.label}: boot took ${b.boot.ms} ms; console tail:\n${b.boot.console.slice(-6000)}`;

    it('boots the flatcar and the fcos node, on fw_cfg and from a URL, to the report and powers off by itself', () => {
      expect(boots.map((b) => `${b.os}/${b.platform}`).sort()).toEqual(['fcos/qemu', 'flatcar/metal']);
      for (const b of boots) {
        expect(b.boot.ended, context(b)).toBe('exited');
        expect(b.boot.code, context(b)).toBe(0);
        expect(b.report.done, context(b)).toBe(true);
      }
    });

    it('runs every Ignition stage without a CRITICAL line, then switches root', () => {
      for (const b of boots) {
        const console = b.boot.console;
        expect(console, context(b)).not.toMatch(/CRITICAL/);
        // On metal, fetch-offline finds no config and only asks for the network; the fetch stage gets it.
        const fetchStage = b.platform === 'qemu' ? 'fetch-offline' : 'fetch';
        for (const stage of [fetchStage, 'kargs', 'disks', 'mount', 'files']) {
          expect(console, `${b.label}: ${stage}`).toMatch(new RegExp(`${stage}: ${stage} passed`));
        }
        expect(console, b.label).toMatch(/Switching root/);
        expect(b.report.get('ignition', '').result, b.label).toBe('present');
      }
    });

    it('takes the config from fw_cfg on the qemu platform and from the test server on metal', () => {
      for (const b of boots.filter((x) => x.platform === 'qemu')) {
        expect(b.boot.console, b.label).toMatch(/fetched user config from "qemu"/);
      }
      for (const b of boots.filter((x) => x.platform === 'metal')) {
        const path = `/kindling-vm/${b.label}/config.ign`;
        expect(server.requests.filter((r) => r.path === path && r.status === 200).length, b.label).toBeGreaterThanOrEqual(1);
      }
    });

    it('serves flannel metrics through the socket-activated endpoint, which promtool check metrics accepts and which refuses POST', () => {
      for (const b of boots) expectFlannelMetricsServed(b.report, b.boot.console, b.node.name, context(b));
    });

    it('has flanneld.service enabled and active after switch-root, READY=1 coming from the stand-in', () => {
      for (const b of boots) {
        expect(b.report.get('unit', 'flanneld.service'), context(b)).toMatchObject({ enabled: 'enabled', active: 'active', result: 'success' });
        expect(b.report.get('unit', 'flanneld.service').status, b.label).toBe('stand-in_flanneld_running');
      }
    });

    it("takes the node's name as its hostname from the /etc/hostname kindling writes", () => {
      for (const b of boots) expect(b.report.get('host', '').name, context(b)).toBe(b.node.name);
    });

    it("runs kindling's other units: the CNI plugins install, and the worker role's own unit", () => {
      for (const b of boots) {
        expect(b.report.get('unit', 'cni-plugins-install.service'), context(b)).toMatchObject({ enabled: 'enabled', active: 'active', result: 'success' });
        if (FIXTURE_NODE_ROLE[b.node.name] === 'worker') {
          // A oneshot without RemainAfterExit is inactive once it has run; its result says whether it worked.
          expect(b.report.get('unit', FIXTURE_WORKER_UNIT), context(b)).toMatchObject({ enabled: 'enabled', result: 'success' });
        }
        const failed = (b.report.get('failed', '').units ?? '').split(',').filter(Boolean);
        for (const unit of ['flanneld.service', 'cni-plugins-install.service', FIXTURE_WORKER_UNIT]) expect(failed, b.label).not.toContain(unit);
      }
    });

    it('installs flanneld at the OS path, matching the served file and the hash pinned in config.ign', () => {
      for (const b of boots) {
        const path = FLANNELD_PATH[b.os];
        expect(b.report.get('file', path), context(b)).toMatchObject({ mode: '755', owner: 'root:root', sha512: standIns.flanneld.sha512 });
        const pinned = (JSON.parse(b.config.toString()) as { storage: { files: { path: string; contents?: { verification?: { hash?: string } } }[] } })
          .storage.files.find((f) => f.path === path)?.contents?.verification?.hash;
        expect(pinned, b.label).toBe(`sha512-${standIns.flanneld.sha512}`);
      }
    });

    it('puts the flannel CNI plugin and the bridge, host-local, portmap and loopback plugins in /opt/cni/bin', () => {
      for (const b of boots) {
        expect(b.report.get('file', '/opt/cni/bin/flannel'), context(b)).toMatchObject({ mode: '755', sha512: standIns.flannelCni.sha512 });
        for (const name of CNI_TARBALL_MEMBERS) {
          const expected = createHash('sha512').update(standIns.cniTarball.members[name]).digest('hex');
          expect(b.report.get('file', `/opt/cni/bin/${name}`).sha512, `${b.label}: ${name}`).toBe(expected);
        }
      }
    });

    it('has /run/flannel, br_netfilter loaded, the sysctls applied and a 0600 kubeconfig', () => {
      for (const b of boots) {
        expect(b.report.get('dir', '/run/flannel').exists, context(b)).toBe('yes');
        expect(b.report.get('module', 'br_netfilter').loaded, context(b)).toBe('yes');
        const sysctls = b.report.all('sysctl');
        expect(sysctls.map((s) => s.subject), b.label).toEqual(expect.arrayContaining(['net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables']));
        for (const { subject, fields } of sysctls) expect(fields.have, `${b.label}: ${subject}`).toBe(fields.want);
        expect(b.report.get('file', '/etc/kubernetes/flanneld.kubeconfig'), b.label).toMatchObject({ mode: '600', owner: 'root:root' });
        expect(b.report.get('user', FIXTURE_USER).exists, b.label).toBe('yes');
      }
    });

    it('left on disk what the guest reported (read back with debugfs after poweroff)', async () => {
      for (const b of boots) {
        const path = FLANNELD_PATH[b.os];
        expect(await readOnDisk(b.disk, path), b.label).toEqual(standIns.flanneld.bytes);
        expect(await statOnDisk(b.disk, path), b.label).toMatchObject({ type: 'regular', mode: 0o755, uid: 0, gid: 0 });
        expect(await statOnDisk(b.disk, '/etc/kubernetes/flanneld.kubeconfig'), b.label).toMatchObject({ mode: 0o600, uid: 0, gid: 0 });
        expect(await readOnDisk(b.disk, '/opt/cni/bin/flannel'), b.label).toEqual(standIns.flannelCni.bytes);
        for (const name of CNI_TARBALL_MEMBERS) {
          expect(await readOnDisk(b.disk, `/opt/cni/bin/${name}`), `${b.label}: ${name}`).toEqual(standIns.cniTarball.members[name]);
        }
        expect((await readOnDisk(b.disk, '/etc/systemd/system-preset/20-ignition.preset'))?.toString(), b.label).toMatch(/^enable flanneld\.service$/m);
        expect(await statOnDisk(b.disk, '/etc/systemd/system/multi-user.target.wants/flanneld.service'), b.label).toMatchObject({ type: 'symlink' });
        expect(await statOnDisk(b.disk, '/etc/.ignition-result.json'), b.label).toMatchObject({ type: 'regular' });
      }
    });

    it('downloaded every artifact from the test server through the guestfwd relay', () => {
      for (const path of Object.keys(mirrorFiles(standIns))) {
        expect(server.requests.filter((r) => r.path === path && r.status === 200).length, path).toBeGreaterThanOrEqual(boots.length);
      }
      expect(server.requests.filter((r) => r.status !== 200)).toEqual([]);
    });

    it('stops the boot in the initramfs when the pinned flanneld hash is wrong, and qemu ends by itself', async () => {
      const { boot } = wrong;
      expect(boot.failureAtMs, context(wrong)).toBeDefined();
      expect(boot.console, context(wrong)).toMatch(/hash verification failed|does not match expected sum/);
      expect(boot.ended, context(wrong)).toBe('exited');
      expect(boot.exitAfterFailureMs ?? Infinity, 'qemu ended soon after the failure, not at the timeout').toBeLessThan(90_000);
      expect(boot.console, 'the boot never left the initramfs').not.toMatch(/Switching root/);
      expect(wrong.report.done).toBe(false);
      expect(await statOnDisk(wrong.disk, FLANNELD_PATH[wrong.os]), 'no flanneld on disk').toBeUndefined();
    });
  });

  return { prepare, close };
}
