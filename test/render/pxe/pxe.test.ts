import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadProject } from '../../../src/build/load-project.ts';
import { pxeEntries, renderPxe } from '../../../src/render/pxe/index.ts';
import { grubQuote } from '../../../src/render/pxe/grub.ts';
import type { Project, ResolvedNode } from '../../../src/resolve/project-model.ts';
import { exampleProject, tempDir } from '../../helpers/project.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const DELIVERY = 'delivery:\n  publishURL: http://10.0.0.1/lab/\n  bootAssets:\n    baseURL: http://10.0.0.1/assets/\n    flatcar: { kernelArgs: [console=ttyS0] }\n';

function loadExample(delivery = DELIVERY): Project {
  const dir = exampleProject({ 'cluster.yaml': (text) => `${text}\n${delivery}` });
  const loaded = loadProject(dir, { env: {} });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.project!;
}

/**
 * How iPXE reads a script line (src/core/exec.c: split_command, command_terminator): words split
 * on whitespace; `||`, `&&` and `;` words end a command; a word starting with '#' ends the line.
 */
function ipxeCommands(line: string): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  for (const word of line.split(/\s+/).filter(Boolean)) {
    if (word.startsWith('#')) break;
    if (word === '||' || word === '&&' || word === ';') {
      commands.push(current);
      current = [];
    } else {
      current.push(word);
    }
  }
  if (current.length) commands.push(current);
  return commands;
}

/** How GRUB's lexer splits a line into words: whitespace outside quotes ends one; '…' is literal; \\x outside quotes is x. */
function grubWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i]!;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

const STATIC_NETWORK = { name: 'ens3', mac: '52:54:00:00:00:22', addresses: ['10.0.0.22/24'], gateway: '10.0.0.1', nameservers: ['10.0.0.1'], search: ['lab.example'] };

describe('renderPxe', () => {
  it('renders the example PXE scripts exactly as the golden files', () => {
    const project = loadExample();
    const { files, diagnostics } = renderPxe(project.cluster, project.nodes);
    expect(diagnostics).toEqual([]);
    if (process.env.UPDATE_GOLDEN) {
      for (const f of files) {
        mkdirSync(dirname(join(GOLDEN, f.path)), { recursive: true });
        writeFileSync(join(GOLDEN, f.path), f.data);
      }
    }
    const golden = readdirSync(GOLDEN, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(GOLDEN.length + 1))
      .sort();
    expect(files.map((f) => f.path)).toEqual(golden);
    for (const f of files) expect(f.data, f.path).toBe(readFileSync(join(GOLDEN, f.path), 'utf8'));
  });

  it('writes GRUB files (grub.cfg for every defaultBoot, and the per-MAC entries) that grub-script-check accepts, with the nocloud seed quoted', () => {
    const project = loadExample();
    const { files } = renderPxe(project.cluster, project.nodes);
    const grub = files.filter((f) => f.path.startsWith('pxe/grub/'));
    expect(grub.map((f) => f.path)).toEqual(['pxe/grub/grub.cfg', 'pxe/grub/grub.cfg-01-52-54-00-00-00-11', 'pxe/grub/grub.cfg-01-52-54-00-00-00-21', 'pxe/grub/grub.cfg-01-52-54-00-00-00-22']);
    for (const boot of ['fcos', 'flatcar', 'ubuntu-installer']) {
      const other = loadExample(`${DELIVERY}  defaultBoot: ${boot}\n`);
      grub.push({ path: `pxe/grub/grub.cfg-${boot}`, data: renderPxe(other.cluster, other.nodes).files.find((f) => f.path === 'pxe/grub/grub.cfg')!.data });
    }
    const dir = tempDir();
    for (const f of grub) {
      const path = join(dir, f.path.split('/').pop()!);
      writeFileSync(path, f.data);
      const check = spawnSync('grub-script-check', [path], { encoding: 'utf8' });
      expect(check.status, `${f.path}: ${check.stdout}${check.stderr}`).toBe(0);
    }
    const cloud = grub.find((f) => f.data.includes('nocloud'))!;
    expect(cloud.data).toContain("ds='nocloud-net;s=http://10.0.0.1/lab/nodes/worker-2/'");
    // Unquoted, GRUB would end the statement at ';': prove the checker sees that difference.
    const broken = join(dir, 'broken.cfg');
    writeFileSync(broken, cloud.data.replace("ds='nocloud-net;s=http://10.0.0.1/lab/nodes/worker-2/'", 'ds=nocloud-net;s=http://x/ {'));
    expect(spawnSync('grub-script-check', [broken]).status).not.toBe(0);
  });

  it('keeps GRUB, iPXE and pxelinux entries well-formed for publish and asset URLs with every character validation accepts', () => {
    const kernelArgs = ['a=(b)', 'x=*', 'y=[1]', 'z=!', 'w=a#b', 'v=~', 'p=%41,q:r@s+t'];
    const deliveries = [
      { publishURL: 'http://10.0.0.1/a&b/', baseURL: 'http://10.0.0.1/a&b/assets/' },
      { publishURL: 'http://pxe.lab/a!b(c)*d[e]~f/', baseURL: 'http://10.0.0.1/x=1,y+z@%41&w/' },
    ];
    const dir = tempDir();
    for (const { publishURL, baseURL } of deliveries) {
      const project = loadExample(`delivery:\n  publishURL: '${publishURL}'\n  bootAssets:\n    baseURL: '${baseURL}'\n    flatcar: { kernelArgs: [${kernelArgs.map((a) => `'${a}'`).join(', ')}] }\n`);
      const { files, diagnostics } = renderPxe(project.cluster, project.nodes);
      expect(diagnostics).toEqual([]);
      const byNode = (prefix: string, mac: string) => files.find((f) => f.path.startsWith(prefix) && f.path.includes(mac))!.data;
      for (const node of project.nodes) {
        const mac = node.macs[0]!.replaceAll(':', '-');
        const ipxeKernel = ipxeCommands(byNode('pxe/mac/', mac).split('\n').find((l) => l.startsWith('kernel '))!);
        expect(ipxeKernel, node.name).toHaveLength(1);
        const [, kernelUrl, ...args] = ipxeKernel[0]!;
        expect(kernelUrl!.startsWith(baseURL), node.name).toBe(true);
        expect(args.find((a) => a.startsWith('ignition.config.url=') || a.startsWith('ds='))).toContain(`${publishURL}nodes/${node.name}/`);
        if (node.os === 'flatcar') expect(args.slice(-kernelArgs.length)).toEqual(kernelArgs);
        if (node.os === 'cloud-init') {
          const python = 'import json, sys\nfrom cloudinit.sources.DataSourceNoCloud import load_cmdline_data\nfill = {}\nload_cmdline_data(fill, sys.argv[1])\nprint(json.dumps(fill))';
          const fill = JSON.parse(execFileSync('/usr/bin/python3', ['-c', python, args.join(' ')], { encoding: 'utf8' })) as unknown;
          expect(fill).toEqual({ seedfrom: `${publishURL}nodes/${node.name}/`, dsmode: 'net' });
        }

        const grub = byNode('pxe/grub/', mac);
        const path = join(dir, `grub.cfg-${mac}`);
        writeFileSync(path, grub);
        const check = spawnSync('grub-script-check', [path], { encoding: 'utf8' });
        expect(check.status, `${node.name}: ${check.stdout}${check.stderr}\n${grub}`).toBe(0);
        // GRUB reads the same kernel, arguments and initrd that iPXE does.
        const url = new URL(kernelUrl!);
        expect(grubWords(grub.split('\n').find((l) => l.trimStart().startsWith('linux '))!)).toEqual(['linux', `(http,${url.host})${url.pathname}`, ...args]);

        const pxelinux = byNode('pxe/pxelinux.cfg/', mac).split('\n');
        expect(pxelinux).toContain(`  KERNEL ${kernelUrl}`);
        expect(pxelinux).toContain(`  APPEND ${args.slice(1).join(' ')}`);
      }
    }
  });

  it('gives statically addressed Ignition nodes the same ip= arguments in GRUB, iPXE and pxelinux, IPv6 brackets quoted for GRUB', () => {
    const project = loadExample();
    const network = { name: 'ens3', mac: '52:54:00:00:00:31', addresses: ['10.0.0.31/24', 'fd00::31/64'], gateway: '10.0.0.1', gateway6: 'fd00::1', nameservers: ['10.0.0.1', 'fd00::1'], search: [] };
    const nodes = project.nodes.map((n): ResolvedNode => (n.os === 'cloud-init' ? n : { ...n, network }));
    const { files, diagnostics } = renderPxe(project.cluster, nodes);
    expect(diagnostics).toEqual([]);
    const dir = tempDir();
    for (const node of nodes.filter((n) => n.os !== 'cloud-init')) {
      const mac = node.macs[0]!.replaceAll(':', '-');
      const byNode = (prefix: string) => files.find((f) => f.path.startsWith(prefix) && f.path.includes(mac))!.data;
      const [, , ...args] = ipxeCommands(byNode('pxe/mac/').split('\n').find((l) => l.startsWith('kernel '))!)[0]!;
      expect(args, node.name).toEqual(expect.arrayContaining([`ip=10.0.0.31::10.0.0.1:255.255.255.0:${node.name}:ens3:none`, `ip=[fd00::31]::[fd00::1]:64:${node.name}:ens3:none`, 'nameserver=fd00::1']));
      const grub = byNode('pxe/grub/');
      const path = join(dir, `grub.cfg-${mac}`);
      writeFileSync(path, grub);
      const check = spawnSync('grub-script-check', [path], { encoding: 'utf8' });
      expect(check.status, `${node.name}: ${check.stdout}${check.stderr}\n${grub}`).toBe(0);
      expect(grubWords(grub.split('\n').find((l) => l.trimStart().startsWith('linux '))!).slice(2), node.name).toEqual(args);
      expect(byNode('pxe/pxelinux.cfg/').split('\n'), node.name).toContain(`  APPEND ${args.slice(1).join(' ')}`);
    }
  });

  it('quotes only GRUB arguments that hold syntax characters', () => {
    expect(grubQuote('ignition.firstboot')).toBe('ignition.firstboot');
    expect(grubQuote('ignition.config.url=http://h:8080/a/b.ign')).toBe('ignition.config.url=http://h:8080/a/b.ign');
    expect(grubQuote('ds=nocloud-net;s=http://h/')).toBe("ds='nocloud-net;s=http://h/'");
    expect(grubQuote('a&b')).toBe("'a&b'");
  });

  it('writes iPXE scripts that iPXE splits into exactly the intended commands and kernel arguments', () => {
    const project = loadExample();
    const nodes = project.nodes.map((n): ResolvedNode => (n.os === 'cloud-init' ? { ...n, network: STATIC_NETWORK } : n));
    const { files } = renderPxe(project.cluster, nodes);
    const ipxe = files.filter((f) => f.path.endsWith('.ipxe'));
    expect(ipxe.map((f) => f.path)).toEqual(['pxe/boot.ipxe', 'pxe/mac/52-54-00-00-00-11.ipxe', 'pxe/mac/52-54-00-00-00-21.ipxe', 'pxe/mac/52-54-00-00-00-22.ipxe']);
    const scripts = new Map(ipxe.map((f) => [f.path, f.data.trimEnd().split('\n')]));
    for (const [path, lines] of scripts) {
      expect(lines[0], path).toBe('#!ipxe');
      for (const line of lines.slice(1)) {
        const commands = ipxeCommands(line);
        // Only boot.ipxe's lookups and fallbacks use separators.
        expect(commands.length, `${path}: ${line}`).toBe(line.startsWith('#') ? 0 : / (&&|\|\|) /.test(line) ? 2 : 1);
        for (const argv of commands) {
          expect(['kernel', 'initrd', 'boot', 'chain', 'goto', 'echo', 'exit', 'imgfetch', 'iseq', 'sanboot'].includes(argv[0]!) || /^:[\w-]+$/.test(argv[0]!), line).toBe(true);
          const settings = ['${mac:hexhyp}', '${uuid}', '${serial:uristring}', '${serial}', '${mac}', '${platform}'];
          for (const word of argv) expect(settings.reduce((w, setting) => w.replaceAll(setting, ''), word), line).not.toContain('${');
        }
      }
    }
    expect(ipxeCommands(scripts.get('pxe/boot.ipxe')![4]!)).toEqual([['imgfetch', '--name', 'kindling-node', 'mac/${mac:hexhyp}.ipxe'], ['goto', 'found']]);
    const kernel = (path: string): string[] => ipxeCommands(scripts.get(path)!.find((l) => l.startsWith('kernel '))!)[0]!;
    expect(kernel('pxe/mac/52-54-00-00-00-11.ipxe')).toEqual([
      'kernel',
      'http://10.0.0.1/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz',
      'initrd=flatcar_production_pxe_image.cpio.gz',
      'flatcar.first_boot=1',
      'ignition.config.url=http://10.0.0.1/lab/nodes/cp-1/config.ign',
      'console=ttyS0',
    ]);
    expect(ipxeCommands(scripts.get('pxe/mac/52-54-00-00-00-11.ipxe')!.find((l) => l.startsWith('initrd '))!)[0]).toEqual([
      'initrd',
      '--name',
      'flatcar_production_pxe_image.cpio.gz',
      'http://10.0.0.1/assets/flatcar/amd64/flatcar_production_pxe_image.cpio.gz',
    ]);
    expect(kernel('pxe/mac/52-54-00-00-00-21.ipxe').slice(2)).toEqual([
      'initrd=main',
      'coreos.live.rootfs_url=http://10.0.0.1/assets/fcos/amd64/fedora-coreos-live-rootfs.img',
      'ignition.firstboot',
      'ignition.platform.id=metal',
      'ignition.config.url=http://10.0.0.1/lab/nodes/worker-1/config.ign',
    ]);
    expect(scripts.get('pxe/mac/52-54-00-00-00-21.ipxe')!.some((l) => l.startsWith('initrd --name main '))).toBe(true);
    expect(kernel('pxe/mac/52-54-00-00-00-22.ipxe').slice(2, 4)).toEqual(['initrd=initrd.img', 'ds=nocloud-net;s=http://10.0.0.1/lab/nodes/worker-2/']);
    expect(kernel('pxe/mac/52-54-00-00-00-22.ipxe')[4]).toMatch(/^network-config=[A-Za-z0-9+/]+=*$/);
  });

  it('gives cloud-init nodes a seed and network-config that cloud-init 22.4 reads from the command line', () => {
    const project = loadExample();
    const nodes = project.nodes.map((n): ResolvedNode => (n.os === 'cloud-init' ? { ...n, network: STATIC_NETWORK } : n));
    const { files } = renderPxe(project.cluster, nodes);
    const script = files.find((f) => f.path === 'pxe/mac/52-54-00-00-00-22.ipxe')!.data;
    const cmdline = /^kernel \S+ (.*)$/m.exec(script)![1]!;
    const python = [
      'import json, sys',
      'from cloudinit.sources.DataSourceNoCloud import load_cmdline_data',
      'from cloudinit.net.cmdline import read_kernel_cmdline_config',
      'cmdline = sys.argv[1]',
      'fill = {}',
      'claimed = load_cmdline_data(fill, cmdline)',
      'print(json.dumps({"claimed": claimed, "fill": fill, "network": read_kernel_cmdline_config(cmdline)}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', python, cmdline], { encoding: 'utf8' })) as { claimed: boolean; fill: Record<string, unknown>; network: unknown };
    expect(out.claimed).toBe(true);
    // dsmode net: the NoCloudNet datasource (the only one 22.4 lets fetch http seeds) claims it.
    expect(out.fill).toEqual({ seedfrom: 'http://10.0.0.1/lab/nodes/worker-2/', dsmode: 'net' });
    expect(out.network).toEqual({
      version: 2,
      ethernets: { ens3: { match: { macaddress: '52:54:00:00:00:22' }, 'set-name': 'ens3', dhcp4: false, addresses: ['10.0.0.22/24'], routes: [{ to: '0.0.0.0/0', via: '10.0.0.1' }], nameservers: { addresses: ['10.0.0.1'], search: ['lab.example'] } } },
    });
  });

  it('reports a kernel command line of 2,048 bytes or more, naming the node, and writes no entry for it', () => {
    const long = Array.from({ length: 200 }, (_, i) => `opt${i}=xxxxx`).join(', ');
    const project = loadExample(DELIVERY.replace('kernelArgs: [console=ttyS0]', `kernelArgs: [${long}]`));
    const { files, diagnostics } = renderPxe(project.cluster, project.nodes);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['size/cmdline-too-long', 'error']]);
    expect(diagnostics[0]!.message).toMatch(/node 'cp-1' is \d{4} bytes/);
    expect(diagnostics[0]!.location?.file).toMatch(/nodes\.yaml$/);
    expect(files.some((f) => f.path.includes('52-54-00-00-00-11'))).toBe(false);
    expect(files.some((f) => f.path.includes('52-54-00-00-00-21'))).toBe(true);
  });

  it('chains boot.ipxe by SMBIOS UUID, serial, then MAC, runs a found script without falling through, and leaves network boot by default', () => {
    const project = loadExample();
    const { files } = renderPxe(project.cluster, project.nodes);
    expect(files.find((f) => f.path === 'pxe/boot.ipxe')!.data).toBe(
      [
        '#!ipxe',
        "# kindling: cluster lab. Find this machine's own script by SMBIOS UUID, serial number, then MAC; else the default entry.",
        'imgfetch --name kindling-node uuid/${uuid}.ipxe && goto found ||',
        'imgfetch --name kindling-node serial/${serial:uristring}.ipxe && goto found ||',
        'imgfetch --name kindling-node mac/${mac:hexhyp}.ipxe && goto found ||',
        'goto default',
        ':found',
        'chain --autofree kindling-node || goto failed',
        ':failed',
        "echo kindling: this machine's boot script in cluster lab failed, trying the next boot device",
        'exit 1',
        ':default',
        'echo kindling: no node of cluster lab has uuid ${uuid}, serial ${serial} or MAC ${mac}',
        'echo kindling: leaving network boot for the next boot device',
        'iseq ${platform} efi && exit 1 ||',
        'sanboot --no-describe --drive 0x80 ||',
        'exit 1',
        '',
      ].join('\n'),
    );
  });

  it('writes a node\'s own script under its uuid and serial too, and gives a node with only a uuid or serial an iPXE entry', () => {
    const project = loadExample();
    const [cp, worker, cloud] = project.nodes as [ResolvedNode, ResolvedNode, ResolvedNode];
    const nodes: ResolvedNode[] = [
      { ...cp, uuid: '4c4c4544-0042-3510-8052-b4c04f4e4a31', serial: 'SN-cp.1' },
      { ...worker, macs: [], uuid: '00000000-0000-4000-8000-000000000021' },
      { ...cloud, macs: [], serial: 'W2' },
    ];
    const { files, diagnostics } = renderPxe(project.cluster, nodes);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.path)).toEqual([
      'pxe/boot.ipxe',
      'pxe/grub/grub.cfg',
      'pxe/grub/grub.cfg-01-52-54-00-00-00-11',
      'pxe/mac/52-54-00-00-00-11.ipxe',
      'pxe/pxelinux.cfg/01-52-54-00-00-00-11',
      'pxe/pxelinux.cfg/default',
      'pxe/serial/SN-cp.1.ipxe',
      'pxe/serial/W2.ipxe',
      'pxe/uuid/00000000-0000-4000-8000-000000000021.ipxe',
      'pxe/uuid/4c4c4544-0042-3510-8052-b4c04f4e4a31.ipxe',
    ]);
    const data = (path: string): string => files.find((f) => f.path === path)!.data;
    expect(data('pxe/uuid/4c4c4544-0042-3510-8052-b4c04f4e4a31.ipxe')).toBe(data('pxe/mac/52-54-00-00-00-11.ipxe'));
    expect(data('pxe/serial/SN-cp.1.ipxe')).toBe(data('pxe/mac/52-54-00-00-00-11.ipxe'));
    expect(data('pxe/uuid/00000000-0000-4000-8000-000000000021.ipxe')).toContain('ignition.config.url=http://10.0.0.1/lab/nodes/worker-1/config.ign');
    expect(data('pxe/serial/W2.ipxe')).toContain('ds=nocloud-net;s=http://10.0.0.1/lab/nodes/worker-2/');
    expect(pxeEntries(nodes[0]!, ['ipxe', 'grub', 'pxelinux'])).toEqual([
      { node: 'cp-1', uuid: '4c4c4544-0042-3510-8052-b4c04f4e4a31', ipxe: 'pxe/uuid/4c4c4544-0042-3510-8052-b4c04f4e4a31.ipxe' },
      { node: 'cp-1', serial: 'SN-cp.1', ipxe: 'pxe/serial/SN-cp.1.ipxe' },
      { node: 'cp-1', mac: '52:54:00:00:00:11', ipxe: 'pxe/mac/52-54-00-00-00-11.ipxe', grub: 'pxe/grub/grub.cfg-01-52-54-00-00-00-11', pxelinux: 'pxe/pxelinux.cfg/01-52-54-00-00-00-11' },
    ]);
    // Without iPXE a uuid or serial selects nothing: GRUB and pxelinux match by MAC only.
    expect(pxeEntries(nodes[1]!, ['grub', 'pxelinux'])).toEqual([]);
  });

  it('boots the default entry fcos per iPXE build architecture, with no node config and nothing installed', () => {
    const project = loadExample(`${DELIVERY}  defaultBoot: fcos\n`);
    const boot = renderPxe(project.cluster, project.nodes).files.find((f) => f.path === 'pxe/boot.ipxe')!.data;
    expect(boot.slice(boot.indexOf(':default\n')).split('\n')).toEqual([
      ':default',
      'echo kindling: no node of cluster lab has uuid ${uuid}, serial ${serial} or MAC ${mac}',
      'echo kindling: booting the default entry (fcos), without a node config',
      'iseq ${buildarch} arm64 && goto default-arm64 ||',
      ':default-amd64',
      'kernel http://10.0.0.1/assets/fcos/amd64/fedora-coreos-live-kernel initrd=main coreos.live.rootfs_url=http://10.0.0.1/assets/fcos/amd64/fedora-coreos-live-rootfs.img ignition.firstboot ignition.platform.id=metal',
      'initrd --name main http://10.0.0.1/assets/fcos/amd64/fedora-coreos-live-initramfs.img',
      'boot',
      ':default-arm64',
      'kernel http://10.0.0.1/assets/fcos/arm64/fedora-coreos-live-kernel initrd=main coreos.live.rootfs_url=http://10.0.0.1/assets/fcos/arm64/fedora-coreos-live-rootfs.img ignition.firstboot ignition.platform.id=metal',
      'initrd --name main http://10.0.0.1/assets/fcos/arm64/fedora-coreos-live-initramfs.img',
      'boot',
      '',
    ]);
  });

  it('boots Ubuntu\'s installer without autoinstall as the ubuntu-installer default, and Flatcar without a config as flatcar', () => {
    const ubuntu = loadExample(`${DELIVERY}  defaultBoot: ubuntu-installer\n`);
    const installer = renderPxe(ubuntu.cluster, ubuntu.nodes).files.find((f) => f.path === 'pxe/boot.ipxe')!.data;
    expect(installer).toContain('\n:default-amd64\nkernel http://10.0.0.1/assets/ubuntu/amd64/vmlinuz initrd=initrd ip=dhcp url=http://10.0.0.1/assets/ubuntu/amd64/live-server.iso\ninitrd --name initrd http://10.0.0.1/assets/ubuntu/amd64/initrd\nboot\n');
    expect(installer).not.toContain('autoinstall');
    const flatcar = loadExample(`${DELIVERY}  defaultBoot: flatcar\n`);
    const live = renderPxe(flatcar.cluster, flatcar.nodes).files.find((f) => f.path === 'pxe/boot.ipxe')!.data;
    expect(live).toContain('\n:default-arm64\nkernel http://10.0.0.1/assets/flatcar/arm64/flatcar_production_pxe.vmlinuz initrd=flatcar_production_pxe_image.cpio.gz console=ttyS0\n');
    expect(live).not.toContain('ignition.config.url');
  });

  it('leaves GRUB out by default, with a note, when the boot assets are not on http port 80, and writes only the loaders bootLoaders lists', () => {
    const project = loadExample('delivery:\n  publishURL: http://10.0.0.1:8080/lab/\n');
    const { files, diagnostics } = renderPxe(project.cluster, project.nodes);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['delivery/grub-left-out', 'info', 'no GRUB entries are written: the boot assets at http://10.0.0.1:8080/lab/assets/ is on port 8080, and GRUB 2.06 (Debian 12) connects to port 80 whatever the URL says'],
    ]);
    expect(diagnostics[0]!.location?.file).toMatch(/cluster\.yaml$/);
    expect(files.some((f) => f.path.startsWith('pxe/grub/'))).toBe(false);
    expect(files.filter((f) => f.path.startsWith('pxe/pxelinux.cfg/'))).toHaveLength(4);
    const https = loadExample('delivery:\n  publishURL: http://10.0.0.1/lab/\n  bootAssets:\n    baseURL: https://assets.lab/\n');
    expect(renderPxe(https.cluster, https.nodes).diagnostics.map((d) => d.message)).toEqual(['no GRUB entries are written: the boot assets at https://assets.lab/ is https, and GRUB fetches over plain http only']);
    const only = loadExample('delivery:\n  publishURL: http://10.0.0.1:8080/lab/\n  bootLoaders: [pxelinux]\n');
    const chosen = renderPxe(only.cluster, only.nodes);
    expect(chosen.diagnostics).toEqual([]);
    expect(chosen.files.map((f) => f.path)).toEqual(['pxe/pxelinux.cfg/01-52-54-00-00-00-11', 'pxe/pxelinux.cfg/01-52-54-00-00-00-21', 'pxe/pxelinux.cfg/01-52-54-00-00-00-22', 'pxe/pxelinux.cfg/default']);
  });

  it('refuses an explicit grub in bootLoaders that cannot reach the boot assets, at its place in cluster.yaml', () => {
    const dir = exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: http://10.0.0.1:8080/lab/\n  bootLoaders: [ipxe, grub]\n` });
    const loaded = loadProject(dir, { env: {} });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.message, d.location?.line, d.location?.column])).toEqual([
      ['delivery/grub-unreachable', 'bootLoaders lists grub, but GRUB cannot fetch the boot assets: http://10.0.0.1:8080/lab/assets/ is on port 8080, and GRUB 2.06 (Debian 12) connects to port 80 whatever the URL says', readFileSync(join(dir, 'cluster.yaml'), 'utf8').split('\n').indexOf('  bootLoaders: [ipxe, grub]') + 1, 23],
    ]);
    expect(errors[0]!.hint).toMatch(/port 80/);
    expect(errors[0]!.location?.file).toMatch(/cluster\.yaml$/);
  });

  it('renders nothing without a publishURL, since nodes would have no config URL', () => {
    const project = loadProject(exampleProject(), { env: {} }).project!;
    expect(renderPxe(project.cluster, project.nodes)).toEqual({ files: [], diagnostics: [], loaders: [] });
  });

  it('defaults boot assets to <publishURL>assets/<os>/<arch>/', () => {
    const project = loadExample('delivery:\n  publishURL: http://pxe.lab/out/lab\n');
    const node = project.nodes.find((n) => n.name === 'worker-2')!;
    const { files } = renderPxe(project.cluster, [{ ...node, arch: 'arm64' }]);
    expect(files.find((f) => f.path.endsWith('.ipxe') && f.path.includes('mac/'))!.data).toContain('kernel http://pxe.lab/out/lab/assets/cloud-init/arm64/vmlinuz initrd=initrd.img ds=nocloud-net;s=http://pxe.lab/out/lab/nodes/worker-2/\n');
  });
});

