/**
 * The real GRUB and pxelinux boot from kindling's PXE tree laid out as the README's TFTP root (the
 * build's pxe/ folder plus the loader binaries), under qemu software emulation with qemu's built-in
 * DHCP/TFTP:
 * - GRUB: Debian 12's signed netboot image (grubnetx64.efi.signed as grubx64.efi), started by OVMF's
 *   own PXE (the NIC's iPXE ROM is switched off with romfile=); its prefix is (tftp)/grub, where it
 *   reads grub.cfg only. It has no http module built in, so grub/x86_64-efi/http.mod comes from
 *   grub-efi-amd64-bin, as the README says.
 * - pxelinux: lpxelinux.0 with ldlinux.c32, started by the iPXE ROM's PXE stack on SeaBIOS.
 * Both fetch the kernel from the test server over http on port 80 (one guestfwd rule, relayed per
 * connection); the request log and the console show which entry each machine got.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { loadProject } from '../../../src/build/load-project.ts';
import { renderPxe } from '../../../src/render/pxe/index.ts';
import { exampleProject, tempDir } from '../../helpers/project.ts';
import { watchQemu, type Boot } from './watch-qemu.ts';
import { GUEST_MIRROR_HOST, userNetdev } from '../../real/vm/guestfwd-relay.ts';

const OVMF = '/usr/share/ovmf/OVMF.fd';
const BINARIES: readonly [string, string][] = [
  ['/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed', 'grubx64.efi'],
  ['/usr/lib/grub/x86_64-efi/http.mod', 'grub/x86_64-efi/http.mod'],
  ['/usr/lib/PXELINUX/lpxelinux.0', 'lpxelinux.0'],
  ['/usr/lib/syslinux/modules/bios/ldlinux.c32', 'ldlinux.c32'],
];
/** A boot sector that writes 0x31 to isa-debug-exit: qemu then exits with status (0x31 << 1) | 1 = 99. */
const DISK_BOOTED = 99;


/** A TFTP root: out/lab/pxe/ as the build writes it (publishURL on port 80), plus the loader binaries. */
function tftpRoot(defaultBoot: string): string {
  const delivery = `delivery:\n  publishURL: http://${GUEST_MIRROR_HOST}/lab/\n  defaultBoot: ${defaultBoot}\n`;
  const loaded = loadProject(exampleProject({ 'cluster.yaml': (text) => `${text}\n${delivery}` }), { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { files, diagnostics } = renderPxe(loaded.project!.cluster, loaded.project!.nodes);
  expect(diagnostics).toEqual([]);
  const root = tempDir('kindling-tftp-');
  for (const file of files) {
    const path = join(root, file.path.slice('pxe/'.length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.data);
  }
  for (const [from, to] of BINARIES) {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(from, join(root, to));
  }
  return root;
}

describe('PXE boot with the real GRUB and pxelinux', () => {
  const requests: string[] = [];
  let server: Server;
  let port = 0;
  const dir = tempDir('kindling-loaders-');
  const roots = { local: tftpRoot('local'), fcos: tftpRoot('fcos') };
  const disk = join(dir, 'disk.img');

  beforeAll(async () => {
    const sector = Buffer.alloc(512);
    Buffer.from([0xb0, 0x31, 0xe6, 0xf4, 0xeb, 0xfe]).copy(sector); // mov al,0x31; out 0xf4,al; jmp $
    sector.writeUInt16LE(0xaa55, 510);
    writeFileSync(disk, sector);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      // Not a kernel: each loader refuses it after the fetch, which is all the request log needs.
      res.writeHead(200, { 'content-length': 6 }).end('kernel');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function pxeBoot(options: { loader: 'grub' | 'pxelinux'; root: string; mac: string; disk?: boolean; done: (boot: Boot) => boolean }): Promise<Boot> {
    const start = requests.length;
    const consoleFile = join(dir, `console-${start}.txt`);
    // userNetdev writes relay.py into `dir`; the second rule sends port 80 to the same server.
    const netdev = userNetdev(dir, port, 'n0', [`tftp=${options.root}`, `bootfile=${options.loader === 'grub' ? 'grubx64.efi' : 'lpxelinux.0'}`, `guestfwd=tcp:${GUEST_MIRROR_HOST}:80-cmd:python3 ${join(dir, 'relay.py')} ${port}`]);
    const uefi = options.loader === 'grub';
    const args = [
      '-machine',
      `${uefi ? 'q35' : 'pc'},accel=tcg`,
      '-m',
      '512',
      '-display',
      'none',
      '-serial',
      `file:${consoleFile}`,
      ...(uefi ? ['-bios', OVMF] : ['-boot', 'order=nc']),
      ...(options.disk ? ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-drive', `file=${disk},format=raw,if=ide`] : []),
      '-netdev',
      netdev,
      '-device',
      // GRUB is started by the firmware's own PXE, so the NIC's iPXE ROM is left out.
      `virtio-net-pci,netdev=n0,mac=${options.mac}${uefi ? ',romfile=' : ''}`,
    ];
    return watchQemu(args, consoleFile, requests, options.done);
  }

  const fetched = (path: string) => (boot: Boot) => boot.requests.includes(path);

  it("GRUB (Debian's signed netboot image, UEFI) reads grub/grub.cfg, which loads the machine's entry by MAC, or the default entry for an unknown MAC", async () => {
    const node = await pxeBoot({ loader: 'grub', root: roots.fcos, mac: '52:54:00:00:00:11', done: fetched('/lab/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz') });
    expect(node.requests).toEqual(['/lab/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz']);
    expect(node.console).toContain("Booting `kindling cp-1 (flatcar)'");
    const unknown = await pxeBoot({ loader: 'grub', root: roots.fcos, mac: '52:54:00:00:00:91', done: fetched('/lab/assets/fcos/amd64/fedora-coreos-live-kernel') });
    expect(unknown.requests).toEqual(['/lab/assets/fcos/amd64/fedora-coreos-live-kernel']);
    expect(unknown.console).toContain('kindling: no node of cluster lab has MAC 52:54:00:00:00:91');
    expect(unknown.console).toContain("Booting `kindling default (fcos)'");
  }, 300_000);

  it('GRUB leaves network boot for an unknown MAC by default, and the firmware starts its next boot option', async () => {
    const leaving = 'kindling: leaving network boot for the next boot device';
    const next = (b: Boot): boolean => b.console.includes(leaving) && /BdsDxe: (loading|failed to load) Boot\d+/.test(b.console.slice(b.console.indexOf(leaving)));
    const boot = await pxeBoot({ loader: 'grub', root: roots.local, mac: '52:54:00:00:00:90', done: next });
    expect(boot.requests).toEqual([]);
    expect(boot.console).toContain('kindling: no node of cluster lab has MAC 52:54:00:00:00:90');
    expect(next(boot)).toBe(true);
  }, 300_000);

  it("pxelinux (lpxelinux.0, BIOS) loads the machine's pxelinux.cfg/01-<mac>, or pxelinux.cfg/default, fetching over http", async () => {
    const flatcarInitrd = '/lab/assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz';
    const node = await pxeBoot({ loader: 'pxelinux', root: roots.fcos, mac: '52:54:00:00:00:11', done: fetched(flatcarInitrd) });
    expect(node.requests).toEqual(['/lab/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz', flatcarInitrd]);
    const fcosInitrd = '/lab/assets/fcos/amd64/fedora-coreos-live-initramfs.img';
    const unknown = await pxeBoot({ loader: 'pxelinux', root: roots.fcos, mac: '52:54:00:00:00:89', done: fetched(fcosInitrd) });
    expect(unknown.requests).toEqual(['/lab/assets/fcos/amd64/fedora-coreos-live-kernel', fcosInitrd]);
  }, 300_000);

  it('pxelinux boots the local disk for an unknown MAC by default (LOCALBOOT 0)', async () => {
    const boot = await pxeBoot({ loader: 'pxelinux', root: roots.local, mac: '52:54:00:00:00:88', disk: true, done: () => false });
    expect(boot.exitCode).toBe(DISK_BOOTED);
    expect(boot.requests).toEqual([]);
  }, 300_000);
});
