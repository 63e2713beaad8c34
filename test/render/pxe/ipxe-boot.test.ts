/**
 * The real iPXE (Debian's ipxe-qemu option ROM, under qemu software emulation) boots from kindling's
 * static PXE tree, on BIOS (SeaBIOS) and on UEFI (Debian's OVMF, which runs the EFI driver from the
 * same ROM, efi-virtio.rom). qemu's built-in DHCP hands it the URL of pxe/boot.ipxe on the test
 * server, which must look the machine up by SMBIOS UUID (`-smbios type=1,uuid=`), serial number
 * (`-smbios type=1,serial=`), then MAC, and fetch the matched node's kernel and named initrd from the
 * boot-asset URLs; an unknown machine gets the cluster's default entry. The "kernel" served here is an
 * iPXE script that, once booted, asks for /booted/<mac>: so the request log proves each step ran as
 * iPXE parsed it. The guest reaches the 127.0.0.1 test server only through one guestfwd rule
 * (restrict=on), relayed per connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadProject } from '../../../src/build/load-project.ts';
import { renderPxe } from '../../../src/render/pxe/index.ts';
import { exampleProject, tempDir } from '../../helpers/project.ts';
import { watchQemu, type Boot } from './watch-qemu.ts';
import { GUEST_MIRROR_HOST, userNetdev } from '../../real/vm/guestfwd-relay.ts';

const GUEST_HOST = GUEST_MIRROR_HOST;
const CP_UUID = '6F1C3A52-0B7D-4E2A-9C45-1D2E3F405161';
const W1_SERIAL = 'LAB-W1.07';
/** What iPXE reads as ${uuid} when qemu is given none: SeaBIOS and OVMF both report zeros. */
const NO_UUID = '/lab/pxe/uuid/00000000-0000-0000-0000-000000000000.ipxe';
const OVMF = '/usr/share/ovmf/OVMF.fd';
/** A boot sector that writes 0x31 to isa-debug-exit: qemu then exits with status (0x31 << 1) | 1 = 99. */
const DISK_BOOTED = 99;

type Firmware = 'bios' | 'uefi';


function pxeTree(defaultBoot: string): Map<string, string> {
  const delivery = `delivery:\n  publishURL: http://${GUEST_HOST}:8080/lab/\n  bootAssets:\n    baseURL: http://${GUEST_HOST}:8080/assets/\n  defaultBoot: ${defaultBoot}\n`;
  const dir = exampleProject({
    'cluster.yaml': (text) => `${text}\n${delivery}`,
    'nodes/nodes.yaml': (text) => text.replace('name: cp-1\n', `name: cp-1\nuuid: ${CP_UUID}\n`).replace('name: worker-1\n', `name: worker-1\nserial: ${W1_SERIAL}\n`),
  });
  const loaded = loadProject(dir, { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { files, diagnostics } = renderPxe(loaded.project!.cluster, loaded.project!.nodes);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(files.map((f) => [`/lab/${f.path}`, f.data]));
}

describe('PXE boot with the real iPXE', () => {
  const requests: string[] = [];
  let server: Server;
  let port = 0;
  const dir = tempDir('kindling-ipxe-');
  const trees = { local: pxeTree('local'), fcos: pxeTree('fcos') };
  let tree = trees.local;
  const disk = join(dir, 'disk.img');

  beforeAll(async () => {
    const sector = Buffer.alloc(512);
    Buffer.from([0xb0, 0x31, 0xe6, 0xf4, 0xeb, 0xfe]).copy(sector); // mov al,0x31; out 0xf4,al; jmp $
    sector.writeUInt16LE(0xaa55, 510);
    writeFileSync(disk, sector);
    server = createServer((req, res) => {
      const path = req.url ?? '';
      requests.push(path);
      const script = tree.get(path);
      if (script !== undefined) {
        res.writeHead(200, { 'content-length': Buffer.byteLength(script) }).end(script);
      } else if (/vmlinuz$|kernel$/.test(path)) {
        // A script stands in for the kernel: booting it reports back which machine booted.
        const body = `#!ipxe\nchain http://${GUEST_HOST}:8080/booted/\${mac:hexhyp}\n`;
        res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
      } else if (/\.(cpio\.gz|img)$/.test(path)) {
        res.writeHead(200, { 'content-length': 6 }).end('initrd');
      } else {
        res.writeHead(404, { 'content-length': 0 }).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /**
   * Boots one machine by PXE until `done` holds for what it did (or 120 s pass, or qemu ends), then
   * stops qemu. The NIC boots first; a disk, when given, is the next boot device.
   */
  async function pxeBoot(options: { firmware: Firmware; mac: string; smbios?: string; disk?: boolean; done: (boot: Boot) => boolean }): Promise<Boot> {
    const start = requests.length;
    const consoleFile = join(dir, `console-${start}.txt`);
    const netdev = userNetdev(dir, port, 'n0', [`bootfile=http://${GUEST_HOST}:8080/lab/pxe/boot.ipxe`]);
    expect(netdev.split(',').length).toBe(5); // no stray comma in the temp paths
    const args = [
      '-machine',
      `${options.firmware === 'uefi' ? 'q35' : 'pc'},accel=tcg`,
      '-m',
      '512',
      '-display',
      'none',
      '-serial',
      `file:${consoleFile}`,
      ...(options.firmware === 'uefi' ? ['-bios', OVMF] : ['-boot', 'order=nc']),
      ...(options.smbios ? ['-smbios', `type=1,${options.smbios}`] : []),
      ...(options.disk ? ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-drive', `file=${disk},format=raw,if=ide`] : []),
      '-netdev',
      netdev,
      '-device',
      `virtio-net-pci,netdev=n0,mac=${options.mac}`,
    ];
    return watchQemu(args, consoleFile, requests, options.done);
  }

  const booted = (mac: string) => (boot: Boot) => boot.requests.includes(`/booted/${mac.replace(/:/g, '-')}`);
  const lookups = (mac: string): string[] => ['/lab/pxe/boot.ipxe', NO_UUID, '/lab/pxe/serial/.ipxe', `/lab/pxe/mac/${mac.replace(/:/g, '-')}.ipxe`];

  it('boots each node through boot.ipxe and its per-MAC script, fetching its own kernel and initrd (BIOS)', async () => {
    tree = trees.local;
    const boot = (mac: string) => pxeBoot({ firmware: 'bios', mac, done: booted(mac) });
    expect((await boot('52:54:00:00:00:11')).requests).toEqual([
      ...lookups('52:54:00:00:00:11'),
      '/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz',
      '/assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz',
      '/booted/52-54-00-00-00-11',
    ]);
    expect((await boot('52:54:00:00:00:22')).requests).toEqual([
      ...lookups('52:54:00:00:00:22'),
      '/assets/cloud-init/amd64/vmlinuz',
      '/assets/cloud-init/amd64/initrd.img',
      '/booted/52-54-00-00-00-22',
    ]);
  }, 300_000);

  it("picks a machine whose MAC no node has by its SMBIOS UUID, and another by its serial number, on the node's own script (BIOS)", async () => {
    tree = trees.local;
    const byUuid = await pxeBoot({ firmware: 'bios', mac: '52:54:00:00:00:99', smbios: `uuid=${CP_UUID}`, done: booted('52:54:00:00:00:99') });
    expect(byUuid.requests).toEqual([
      '/lab/pxe/boot.ipxe',
      `/lab/pxe/uuid/${CP_UUID.toLowerCase()}.ipxe`,
      '/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz',
      '/assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz',
      '/booted/52-54-00-00-00-99',
    ]);
    const bySerial = await pxeBoot({ firmware: 'bios', mac: '52:54:00:00:00:98', smbios: `serial=${W1_SERIAL}`, done: booted('52:54:00:00:00:98') });
    expect(bySerial.requests).toEqual([
      '/lab/pxe/boot.ipxe',
      NO_UUID,
      `/lab/pxe/serial/${W1_SERIAL}.ipxe`,
      '/assets/fcos/amd64/fedora-coreos-live-kernel',
      '/assets/fcos/amd64/fedora-coreos-live-initramfs.img',
      '/booted/52-54-00-00-00-98',
    ]);
  }, 300_000);

  it('leaves network boot for an unknown machine by default, so the firmware boots the local disk (BIOS)', async () => {
    tree = trees.local;
    const boot = await pxeBoot({ firmware: 'bios', mac: '52:54:00:00:00:97', disk: true, done: () => false });
    expect(boot.exitCode).toBe(DISK_BOOTED);
    expect(boot.requests).toEqual(lookups('52:54:00:00:00:97'));
  }, 300_000);

  it('boots the fcos live image without a node config for an unknown machine when defaultBoot is fcos (BIOS)', async () => {
    tree = trees.fcos;
    const boot = await pxeBoot({ firmware: 'bios', mac: '52:54:00:00:00:96', done: booted('52:54:00:00:00:96') });
    expect(boot.requests).toEqual([
      ...lookups('52:54:00:00:00:96'),
      '/assets/fcos/amd64/fedora-coreos-live-kernel',
      '/assets/fcos/amd64/fedora-coreos-live-initramfs.img',
      '/booted/52-54-00-00-00-96',
    ]);
    expect(tree.get('/lab/pxe/boot.ipxe')).not.toMatch(/ignition\.config\.url|coreos\.inst/);
  }, 300_000);

  it("picks a node by SMBIOS UUID under UEFI, and a found script that fails stops there instead of falling to the default", async () => {
    tree = trees.fcos;
    const failed = "kindling: this machine's boot script in cluster lab failed, trying the next boot device";
    const boot = await pxeBoot({ firmware: 'uefi', mac: '52:54:00:00:00:95', smbios: `uuid=${CP_UUID}`, done: (b) => b.console.includes(failed) });
    // The stand-in kernel's /booted/ request is a 404, so the node's own script fails after booting it.
    expect(boot.requests).toEqual([
      '/lab/pxe/boot.ipxe',
      `/lab/pxe/uuid/${CP_UUID.toLowerCase()}.ipxe`,
      '/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz',
      '/assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz',
      '/booted/52-54-00-00-00-95',
    ]);
    expect(boot.console).toContain(failed);
    expect(boot.console).not.toContain('kindling: booting the default entry');
  }, 300_000);

  it('leaves network boot for an unknown machine by default under UEFI, and the firmware starts its next boot option', async () => {
    tree = trees.local;
    const leaving = 'kindling: leaving network boot for the next boot device';
    const next = (b: Boot): boolean => b.console.includes(leaving) && /BdsDxe: (loading|failed to load) Boot0002/.test(b.console.slice(b.console.indexOf(leaving)));
    const boot = await pxeBoot({ firmware: 'uefi', mac: '52:54:00:00:00:94', done: next });
    expect(boot.requests).toEqual(lookups('52:54:00:00:00:94'));
    expect(boot.console).toContain('kindling: no node of cluster lab has uuid 00000000-0000-0000-0000-000000000000, serial  or MAC 52:54:00:00:00:94');
    expect(next(boot)).toBe(true);
  }, 300_000);
});
