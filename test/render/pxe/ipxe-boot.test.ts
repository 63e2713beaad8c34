/**
 * The real iPXE (Debian's ipxe-qemu option ROM, under qemu software emulation) boots from kindling's
 * static PXE tree: qemu's built-in DHCP/TFTP hands it pxe/boot.ipxe, which must chain by
 * ${mac:hexhyp} to the node's own script, which must fetch the node's kernel and named initrd from
 * the boot-asset URLs and boot. The "kernel" served here is an iPXE script that, once booted, asks
 * for /booted/<mac>: so the request log proves each step ran as iPXE parsed it. The guest reaches
 * the 127.0.0.1 test server only through one guestfwd rule (restrict=on), relayed per connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { loadProject } from '../../../src/build/load-project.ts';
import { renderPxe } from '../../../src/render/pxe/index.ts';
import { exampleProject, tempDir } from '../../helpers/project.ts';
import { GUEST_MIRROR_HOST, userNetdev } from '../../real/vm/guestfwd-relay.ts';

const GUEST_HOST = GUEST_MIRROR_HOST;
const DELIVERY = `delivery:\n  publishURL: http://${GUEST_HOST}:8080/lab/\n  bootAssets:\n    baseURL: http://${GUEST_HOST}:8080/assets/\n`;


describe('PXE boot with the real iPXE', () => {
  const requests: string[] = [];
  let server: Server;
  let port = 0;
  const dir = tempDir('kindling-ipxe-');
  const tftp = join(dir, 'tftp');

  beforeAll(async () => {
    const project = loadProject(exampleProject({ 'cluster.yaml': (text) => `${text}\n${DELIVERY}` }), { env: {} }).project!;
    for (const file of renderPxe(project.cluster, project.nodes).files) {
      mkdirSync(dirname(join(tftp, file.path)), { recursive: true });
      writeFileSync(join(tftp, file.path), file.data);
    }
    server = createServer((req, res) => {
      const path = req.url ?? '';
      requests.push(path);
      if (/vmlinuz$|kernel$/.test(path)) {
        // A script stands in for the kernel: booting it reports back which node booted.
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

  /** Boots one NIC by PXE until the node reports back (or 90 s pass), then stops qemu. */
  async function pxeBoot(mac: string): Promise<string[]> {
    const start = requests.length;
    const netdev = userNetdev(dir, port, 'n0', [`tftp=${tftp}`, 'bootfile=pxe/boot.ipxe']);
    expect(netdev.split(',').length).toBe(6); // no stray comma in the temp paths
    const qemu = spawn('qemu-system-x86_64', ['-machine', 'pc,accel=tcg', '-m', '256', '-display', 'none', '-boot', 'n', '-netdev', netdev, '-device', `virtio-net-pci,netdev=n0,mac=${mac}`], { stdio: 'ignore' });
    const done = `/booted/${mac.replace(/:/g, '-')}`;
    try {
      for (let waited = 0; waited < 90_000 && !requests.slice(start).includes(done); waited += 250) {
        if (qemu.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      qemu.kill('SIGKILL');
    }
    return requests.slice(start);
  }

  it('boots each node through boot.ipxe and its per-MAC script, fetching its own kernel and initrd', async () => {
    expect(await pxeBoot('52:54:00:00:00:11')).toEqual([
      '/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz',
      '/assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz',
      '/booted/52-54-00-00-00-11',
    ]);
    expect(await pxeBoot('52:54:00:00:00:21')).toEqual([
      '/assets/fcos/amd64/fedora-coreos-live-kernel',
      '/assets/fcos/amd64/fedora-coreos-live-initramfs.img',
      '/booted/52-54-00-00-00-21',
    ]);
    expect(await pxeBoot('52:54:00:00:00:22')).toEqual(['/assets/cloud-init/amd64/vmlinuz', '/assets/cloud-init/amd64/initrd.img', '/booted/52-54-00-00-00-22']);
  }, 300_000);
});
