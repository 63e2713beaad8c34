/**
 * Issue 15: a PXE boot through `kindling serve`. The fixture's flatcar node (cp-1) is built with a
 * publishURL, and its output is served by serveOutput — the server `kindling serve` runs — with the
 * VM base's kernel and Ignition initrd as the node's boot assets in `<out>/<cluster>-assets/`. The
 * real iPXE option ROM of qemu's virtio NIC gets `boot.ipxe`'s URL from qemu's DHCP, chains to the
 * node's own script by its MAC, fetches kernel and initrd, boots; Ignition in the initrd then fetches
 * config.ign from the server (ignition.config.url in that script) and the node comes up with
 * flanneld. Every step is seen in the server's access log, which names the node.
 *
 * The guest reaches two servers through guestfwd: the artifact mirror at 10.0.2.100:8080 (the
 * harness's static server) and `kindling serve` at 10.0.2.101:8080.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveOutput, type RunningServer } from '../../../src/serve/serve-output.ts';
import { startStaticServer } from '../harness/http-server.ts';
import type { StaticServer } from '../harness/http-server.ts';
import { kindlingBuild, mirrorFiles, writeFixtureProject } from '../harness/kindling-project.ts';
import { requireExecutables, requireRoot } from '../harness/run.ts';
import { makeStandIns } from '../harness/stand-ins.ts';
import type { BootSuite, BootTask } from './boot-lanes.ts';
import { parseConsoleReport } from './console-report.ts';
import type { ConsoleReport } from './console-report.ts';
import { makeDiskImage } from './disk-image.ts';
import { GUEST_MIRROR, userNetdev } from './guestfwd-relay.ts';
import { bootVm, consoleLogPath } from './qemu-boot.ts';
import type { QemuBoot } from './qemu-boot.ts';
import { ensureVmBase } from './vm-base.ts';

const CLUSTER = 'realtest';
const NODE = 'cp-1';
const MAC = '52:54:00:00:00:11';
const SERVE_GUEST = 'http://10.0.2.101:8080';
const PUBLISH_URL = `${SERVE_GUEST}/${CLUSTER}/`;

/** What the VM base's kernel needs beyond kindling's flatcar arguments (the same as ignition-boot.ts's metal boot). */
const KERNEL_ARGS = [
  'root=/dev/vda', 'rw', 'console=ttyS0', 'systemd.show_status=1', 'systemd.journald.forward_to_console=1', 'modprobe.blacklist=floppy',
  'ip=dhcp', 'rd.shell=0', 'rd.emergency=reboot', 'ignition.firstboot', 'ignition.platform.id=metal',
];

const DELIVERY = `
delivery:
  publishURL: ${PUBLISH_URL}
  bootAssets:
    flatcar:
      kernelArgs: [${KERNEL_ARGS.join(', ')}]
`;

/** Registers the PXE boot's tests; first-boots.test.ts boots it alongside the others. */
export function pxeServeBootSuite(): BootSuite {
  const work = mkdtempSync('/var/tmp/kindling-vm-pxe-');
  const out = join(work, 'out');
  const assets = join(out, `${CLUSTER}-assets`, 'flatcar', 'amd64');
  const accessLog: string[] = [];
  let mirror: StaticServer;
  let served: RunningServer;
  let boot: QemuBoot;
  let report: ConsoleReport;

  async function prepare(): Promise<BootTask[]> {
    requireRoot();
    requireExecutables(['qemu-system-x86_64', 'mkfs.ext4', 'python3', 'timeout', 'openssl']);
    const base = await ensureVmBase();
    const standIns = await makeStandIns();
    mirror = await startStaticServer(mirrorFiles(standIns));

    const project = join(work, 'project');
    await writeFixtureProject({ dir: project, mirror: GUEST_MIRROR, standIns });
    writeFileSync(join(project, 'cluster.yaml'), `${readFileSync(join(project, 'cluster.yaml'), 'utf8')}${DELIVERY}`);
    const build = await kindlingBuild(project, out);
    if (build.code !== 0) throw new Error(`kindling build failed (${build.code}):\n${build.stdout}${build.stderr}`);

    // The default asset names for flatcar; the assets folder is the one serve finds beside the output.
    mkdirSync(assets, { recursive: true });
    copyFileSync(base.kernel, join(assets, 'flatcar_production_pxe.vmlinuz'));
    copyFileSync(base.ignitionInitrd, join(assets, 'flatcar_production_pxe_image.cpio.gz'));
    served = await serveOutput({ root: out, listen: { host: '127.0.0.1', port: 0 }, log: (line) => accessLog.push(line) });

    const disk = join(work, 'pxe.img');
    await makeDiskImage(base.ignitionRoot, disk);
    const servePort = Number(new URL(served.url).port);
    // userNetdev writes relay.py into `work` and adds the mirror's rule; the second rule reaches serve.
    const netdev = userNetdev(work, mirror.port, 'n0', [
      `bootfile=${PUBLISH_URL}pxe/boot.ipxe`,
      `guestfwd=tcp:10.0.2.101:8080-cmd:python3 ${join(work, 'relay.py')} ${servePort}`,
    ]);
    return [
      {
        label: 'pxe-through-serve',
        seconds: 90,
        run: async () => {
          boot = await bootVm({ disk, netdev, mac: MAC, timeoutSeconds: 600, consoleLog: consoleLogPath('pxe-through-serve') });
          report = parseConsoleReport(boot.console);
        },
      },
    ];
  }

  async function close() {
    await served?.close();
    await mirror?.close();
    rmSync(work, { recursive: true, force: true });
  }

  describe('kindling serve → a PXE boot with the real iPXE ROM, then Ignition fetching config.ign', () => {
    const context = () => `boot took ${boot.ms} ms; access log:\n${accessLog.join('\n')}\nconsole tail:\n${boot.console.slice(-6000)}`;
    const size = (path: string): number => statSync(path).size;
    const hexhyp = MAC.replace(/:/g, '-');

    it('boots the node by PXE to the report and powers off by itself', () => {
      expect(boot.ended, context()).toBe('exited');
      expect(boot.code, context()).toBe(0);
      expect(report.done, context()).toBe(true);
    });

    it("fetches boot.ipxe, the node's own script, its kernel and initrd, then config.ign, each from kindling serve, the node named in the log", () => {
      const prefix = `/${CLUSTER}/`;
      const lab = join(out, CLUSTER);
      const steps = [
        `127.0.0.1 fetched ${prefix}pxe/boot.ipxe (200, ${size(join(lab, 'pxe/boot.ipxe'))} bytes)`,
        `${NODE} (${hexhyp}) fetched ${prefix}pxe/mac/${hexhyp}.ipxe (200, ${size(join(lab, `pxe/mac/${hexhyp}.ipxe`))} bytes)`,
        `127.0.0.1 (last seen as ${NODE}) fetched ${prefix}assets/flatcar/amd64/flatcar_production_pxe.vmlinuz (200, ${size(join(assets, 'flatcar_production_pxe.vmlinuz'))} bytes)`,
        `127.0.0.1 (last seen as ${NODE}) fetched ${prefix}assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz (200, ${size(join(assets, 'flatcar_production_pxe_image.cpio.gz'))} bytes)`,
        `${NODE} fetched ${prefix}nodes/${NODE}/config.ign (200, ${size(join(lab, `nodes/${NODE}/config.ign`))} bytes)`,
      ];
      const at = steps.map((step) => accessLog.indexOf(step));
      expect(at.every((i) => i >= 0), context()).toBe(true);
      expect([...at].sort((a, b) => a - b), context()).toEqual(at);
    });

    it('runs Ignition with the config it fetched from the URL in the node script, and has flanneld active after switch-root', () => {
      expect(boot.console, context()).toContain(`GET ${PUBLISH_URL}nodes/${NODE}/config.ign`);
      expect(boot.console, context()).toMatch(/fetched user config from "cmdline"/);
      for (const stage of ['fetch', 'kargs', 'disks', 'mount', 'files']) expect(boot.console, stage).toMatch(new RegExp(`${stage}: ${stage} passed`));
      expect(boot.console).not.toMatch(/CRITICAL/);
      expect(report.get('host', '').name, context()).toBe(NODE);
      expect(report.get('unit', 'flanneld.service'), context()).toMatchObject({ enabled: 'enabled', active: 'active', result: 'success' });
    });
  });

  return { prepare, close };
}
