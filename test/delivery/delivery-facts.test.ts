import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliveryFacts, vmArguments } from '../../src/delivery/delivery-facts.ts';
import { isClusterPxeFile, renderPxe } from '../../src/render/pxe/index.ts';
import { packNoCloudSeedWithDigest } from '../../src/pack/nocloud-seed.ts';
import { buildExample, type BuiltExample } from '../helpers/build-example.ts';
import { tempDir } from '../helpers/project.ts';

/** Starts QEMU paused with the arguments, from `cwd`, and quits at once: proves it parses them and opens the files. */
function qemuAccepts(cwd: string, args: readonly string[]): { status: number; output: string } {
  const run = spawnSync('qemu-system-x86_64', ['-machine', 'q35,accel=tcg', '-S', '-display', 'none', '-nodefaults', '-monitor', 'stdio', ...args], { cwd, input: 'quit\n', encoding: 'utf8', timeout: 30_000 });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}


/** virt-install with libvirt's test driver: parses the arguments, opens the files they name, prints the domain XML; no hypervisor. */
function virtInstallAccepts(name: string, args: readonly string[]): { status: number; output: string } {
  const run = spawnSync(
    'virt-install',
    ['--connect', 'test:///default', '--dry-run', '--print-xml', '--name', name, '--memory', '1024', '--osinfo', 'detect=on,require=off', '--import', '--disk', 'none', ...args],
    { cwd: '/', encoding: 'utf8', timeout: 60_000 },
  );
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

const PUBLISH = 'http://10.0.0.1:8080/lab/';

describe('deliveryFacts and vmArguments', () => {
  let built: BuiltExample;
  beforeAll(() => {
    built = buildExample();
  });
  const node = (name: string) => built.project!.nodes.find((n) => n.name === name)!;
  const vm = (name: string, files: string[], publishURL?: string) => {
    const facts = deliveryFacts(node(name), files, publishURL);
    return { facts, ...vmArguments(node(name), facts, files, built.clusterDir) };
  };

  it('hands Flatcar and FCOS nodes their config through the fw_cfg name each OS reads, with the node\'s MAC, which QEMU started anywhere loads', () => {
    const cp1 = vm('cp-1', ['config.bu', 'config.ign'], PUBLISH);
    const config = join(built.clusterDir, 'nodes/cp-1/config.ign');
    expect(cp1.facts).toMatchObject({ config: 'nodes/cp-1/config.ign', configURL: 'http://10.0.0.1:8080/lab/nodes/cp-1/config.ign' });
    expect(cp1.qemu).toEqual(['-fw_cfg', `name=opt/org.flatcar-linux/config,file=${config}`, '-nic', 'user,model=virtio-net-pci,mac=52:54:00:00:00:11']);
    const w1 = vm('worker-1', ['config.bu', 'config.ign']);
    expect(w1.qemu.slice(0, 2)).toEqual(['-fw_cfg', `name=opt/com.coreos/config,file=${join(built.clusterDir, 'nodes/worker-1/config.ign')}`]);
    expect(w1.facts.configURL).toBeUndefined();
    for (const { qemu } of [cp1, w1]) {
      const run = qemuAccepts('/', qemu);
      expect(run.status, run.output).toBe(0);
    }
    // The check can fail: a config QEMU cannot open is an error.
    expect(qemuAccepts('/', ['-fw_cfg', `name=opt/com.coreos/config,file=${join(built.clusterDir, 'nodes/worker-1/missing.ign')}`]).status).not.toBe(0);
  });

  it('gives libvirt the Ignition config on a qemu command line and the node its MAC on the default network, which virt-install accepts', () => {
    const { virtInstall } = vm('worker-1', ['config.bu', 'config.ign']);
    expect(virtInstall).toEqual([`--qemu-commandline=-fw_cfg name=opt/com.coreos/config,file=${join(built.clusterDir, 'nodes/worker-1/config.ign')}`, '--network', 'network=default,mac=52:54:00:00:00:21']);
    const run = virtInstallAccepts('worker-1', virtInstall);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('<mac address="52:54:00:00:00:21"/>');
    expect(run.output).toContain(`<qemu:arg value="name=opt/com.coreos/config,file=${join(built.clusterDir, 'nodes/worker-1/config.ign')}"/>`);
  });

  it('quotes a config path with a space for the shell-like split of --qemu-commandline, which virt-install then reads back whole', () => {
    const spaced = join(tempDir(), 'out dir', 'lab');
    const w1 = node('worker-1');
    const facts = deliveryFacts(w1, ['config.ign']);
    mkdirSync(join(spaced, 'nodes/worker-1'), { recursive: true });
    writeFileSync(join(spaced, 'nodes/worker-1/config.ign'), '{}');
    const { virtInstall } = vmArguments(w1, facts, ['config.ign'], spaced);
    expect(virtInstall[0]).toBe(`--qemu-commandline=-fw_cfg 'name=opt/com.coreos/config,file=${spaced}/nodes/worker-1/config.ign'`);
    const run = virtInstallAccepts('worker-1', virtInstall);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`<qemu:arg value="name=opt/com.coreos/config,file=${spaced}/nodes/worker-1/config.ign"/>`);
  });

  it('attaches a cloud-init node seed image for QEMU and its seed files through virt-install --cloud-init, with its MAC', () => {
    const dir = join(built.clusterDir, 'nodes/worker-2');
    writeFileSync(join(dir, 'seed.iso'), packNoCloudSeedWithDigest({ 'user-data': readFileSync(join(dir, 'user-data')), 'meta-data': readFileSync(join(dir, 'meta-data')) }).image);
    const w2 = vm('worker-2', ['user-data', 'meta-data', 'seed.iso'], PUBLISH);
    expect(w2.facts).toMatchObject({ config: 'nodes/worker-2/user-data', configURL: 'http://10.0.0.1:8080/lab/nodes/worker-2/', seedImage: 'nodes/worker-2/seed.iso' });
    expect(w2.qemu).toEqual(['-drive', `file=${join(dir, 'seed.iso')},media=cdrom,format=raw,readonly=on`, '-nic', 'user,model=virtio-net-pci,mac=52:54:00:00:00:22']);
    expect(w2.virtInstall).toEqual(['--cloud-init', `user-data=${join(dir, 'user-data')},meta-data=${join(dir, 'meta-data')}`, '--network', 'network=default,mac=52:54:00:00:00:22']);
    const run = qemuAccepts('/', w2.qemu);
    expect(run.status, run.output).toBe(0);
    const virt = virtInstallAccepts('worker-2', w2.virtInstall);
    expect(virt.status, virt.output).toBe(0);
    expect(virt.output).toContain('<mac address="52:54:00:00:00:22"/>');
    expect(virt.output).toContain('device="cdrom"');
  });

  it('points a cloud-init node without a seed image at its published seed through the SMBIOS serial cloud-init 22.4 reads', () => {
    const url = 'http://10.0.0.1:8080/a,b/';
    const { qemu } = vm('worker-2', ['user-data', 'meta-data'], url);
    expect(qemu.slice(0, 2)).toEqual(['-smbios', 'type=1,serial=ds=nocloud-net;s=http://10.0.0.1:8080/a,,b/nodes/worker-2/']);
    const run = qemuAccepts('/', qemu);
    expect(run.status, run.output).toBe(0);
    // What the guest's serial holds once QEMU unescapes ',,', parsed by cloud-init 22.4's NoCloud.
    const serial = qemu[1]!.slice('type=1,serial='.length).replace(/,,/g, ',');
    const python = 'import json, sys\nfrom cloudinit.sources.DataSourceNoCloud import load_cmdline_data\nfill = {}\nprint(json.dumps([load_cmdline_data(fill, sys.argv[1]), fill]))';
    expect(JSON.parse(execFileSync('/usr/bin/python3', ['-c', python, serial], { encoding: 'utf8' }))).toEqual([true, { seedfrom: 'http://10.0.0.1:8080/a,b/nodes/worker-2/', dsmode: 'net' }]);
  });

  it('lists the same PXE files renderPxe writes, and the Ignition initrd when there is one', () => {
    const cluster = { ...built.project!.cluster, publishURL: PUBLISH };
    const pxe = renderPxe(cluster, built.project!.nodes);
    const written = pxe.files.map((f) => f.path).filter((p) => !isClusterPxeFile(p));
    const listed = built.project!.nodes.flatMap((n) => deliveryFacts(n, ['config.ign', 'ignition.img'], PUBLISH, pxe.loaders).pxe.flatMap((e) => [e.ipxe, e.grub, e.pxelinux].filter((p) => p !== undefined)));
    expect(listed.sort()).toEqual(written);
    expect(deliveryFacts(node('cp-1'), ['config.ign', 'ignition.img']).ignitionInitrd).toBe('nodes/cp-1/ignition.img');
    expect(deliveryFacts(node('cp-1'), ['config.ign']).ignitionInitrd).toBeUndefined();
  });
});
