import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliveryFacts } from '../../src/delivery/delivery-facts.ts';
import { renderPxe } from '../../src/render/pxe/index.ts';
import { packNoCloudSeedWithDigest } from '../../src/pack/nocloud-seed.ts';
import { buildExample, type BuiltExample } from '../helpers/build-example.ts';

/** Starts QEMU paused with the arguments, from out/<cluster>/, and quits at once: proves it parses them and opens the files. */
function qemuAccepts(cwd: string, args: readonly string[]): { status: number; output: string } {
  const run = spawnSync('qemu-system-x86_64', ['-machine', 'q35,accel=tcg', '-S', '-display', 'none', '-nodefaults', '-monitor', 'stdio', ...args], { cwd, input: 'quit\n', encoding: 'utf8', timeout: 30_000 });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

const PUBLISH = 'http://10.0.0.1:8080/lab/';

describe('deliveryFacts', () => {
  let built: BuiltExample;
  beforeAll(() => {
    built = buildExample();
  });
  const node = (name: string) => built.project!.nodes.find((n) => n.name === name)!;

  it('hands Flatcar and FCOS nodes their config through the fw_cfg name each OS reads, which QEMU loads', () => {
    const cp1 = deliveryFacts(node('cp-1'), ['config.bu', 'config.ign'], PUBLISH);
    expect(cp1).toMatchObject({
      config: 'nodes/cp-1/config.ign',
      configURL: 'http://10.0.0.1:8080/lab/nodes/cp-1/config.ign',
      qemu: ['-fw_cfg', 'name=opt/org.flatcar-linux/config,file=nodes/cp-1/config.ign'],
      virtInstall: ['--qemu-commandline=-fw_cfg name=opt/org.flatcar-linux/config,file=nodes/cp-1/config.ign'],
    });
    const w1 = deliveryFacts(node('worker-1'), ['config.bu', 'config.ign']);
    expect(w1.qemu).toEqual(['-fw_cfg', 'name=opt/com.coreos/config,file=nodes/worker-1/config.ign']);
    expect(w1.configURL).toBeUndefined();
    for (const facts of [cp1, w1]) {
      const run = qemuAccepts(built.clusterDir, facts.qemu);
      expect(run.status, run.output).toBe(0);
    }
    // The check can fail: a config QEMU cannot open is an error.
    expect(qemuAccepts(built.clusterDir, ['-fw_cfg', 'name=opt/com.coreos/config,file=nodes/worker-1/missing.ign']).status).not.toBe(0);
  });

  it('attaches a cloud-init node seed image as a CD-ROM for QEMU and virt-install', () => {
    const dir = join(built.clusterDir, 'nodes/worker-2');
    writeFileSync(join(dir, 'seed.iso'), packNoCloudSeedWithDigest({ 'user-data': readFileSync(join(dir, 'user-data')), 'meta-data': readFileSync(join(dir, 'meta-data')) }).image);
    const facts = deliveryFacts(node('worker-2'), ['user-data', 'meta-data', 'seed.iso'], PUBLISH);
    expect(facts).toMatchObject({
      config: 'nodes/worker-2/user-data',
      configURL: 'http://10.0.0.1:8080/lab/nodes/worker-2/',
      seedImage: 'nodes/worker-2/seed.iso',
      qemu: ['-drive', 'file=nodes/worker-2/seed.iso,media=cdrom,format=raw,readonly=on'],
      virtInstall: ['--disk', 'path=nodes/worker-2/seed.iso,device=cdrom'],
    });
    const run = qemuAccepts(built.clusterDir, facts.qemu);
    expect(run.status, run.output).toBe(0);
  });

  it('points a cloud-init node without a seed image at its published seed through the SMBIOS serial cloud-init 22.4 reads', () => {
    const url = 'http://10.0.0.1:8080/a,b/';
    const facts = deliveryFacts(node('worker-2'), ['user-data', 'meta-data'], url);
    expect(facts.qemu).toEqual(['-smbios', 'type=1,serial=ds=nocloud-net;s=http://10.0.0.1:8080/a,,b/nodes/worker-2/']);
    expect(facts.virtInstall).toEqual([]);
    const run = qemuAccepts(built.clusterDir, facts.qemu);
    expect(run.status, run.output).toBe(0);
    // What the guest's serial holds once QEMU unescapes ',,', parsed by cloud-init 22.4's NoCloud.
    const serial = facts.qemu[1]!.slice('type=1,serial='.length).replace(/,,/g, ',');
    const python = 'import json, sys\nfrom cloudinit.sources.DataSourceNoCloud import load_cmdline_data\nfill = {}\nprint(json.dumps([load_cmdline_data(fill, sys.argv[1]), fill]))';
    expect(JSON.parse(execFileSync('/usr/bin/python3', ['-c', python, serial], { encoding: 'utf8' }))).toEqual([true, { seedfrom: 'http://10.0.0.1:8080/a,b/nodes/worker-2/', dsmode: 'net' }]);
  });

  it('lists the same PXE files renderPxe writes, and the Ignition initrd when there is one', () => {
    const cluster = { ...built.project!.cluster, publishURL: PUBLISH };
    const written = renderPxe(cluster, built.project!.nodes).files.map((f) => f.path).filter((p) => p !== 'pxe/boot.ipxe');
    const listed = built.project!.nodes.flatMap((n) => deliveryFacts(n, ['config.ign', 'ignition.img'], PUBLISH).pxe.flatMap((e) => [e.ipxe, e.grub, e.pxelinux]));
    expect(listed.sort()).toEqual(written);
    expect(deliveryFacts(node('cp-1'), ['config.ign', 'ignition.img']).ignitionInitrd).toBe('nodes/cp-1/ignition.img');
    expect(deliveryFacts(node('cp-1'), ['config.ign']).ignitionInitrd).toBeUndefined();
  });
});
