import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDhcp } from '../../../src/render/dhcp/index.ts';
import { clusterFiles } from '../../../src/build/build-project.ts';
import { loadProject } from '../../../src/build/load-project.ts';
import { exampleProject, tempDir } from '../../helpers/project.ts';
import type { BootLoader } from '../../../src/validate/profile-types.ts';
import type { Project } from '../../../src/resolve/project-model.ts';

const CLUSTER = { name: 'lab' };
const PUBLISH = 'http://10.0.0.1:8080/lab/';
const LOADERS = ['ipxe', 'grub', 'pxelinux'] as const;

function fileOf(files: readonly { path: string; data: string }[], path: string): string {
  const file = files.find((f) => f.path === path);
  expect(file, path).toBeDefined();
  return file!.data;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

describe('renderDhcp', () => {
  it('writes a dnsmasq snippet that maps each client architecture to its iPXE binary and iPXE to boot.ipxe', () => {
    expect(fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/dnsmasq.conf')).toBe(
      [
        '# kindling: DHCP boot options for cluster lab (dnsmasq: conf-file= or a file in /etc/dnsmasq.d/).',
        '# No dhcp-range here: the site owns addressing (dhcp-range, enable-tftp, tftp-root).',
        '# The TFTP root holds:',
        "#   undionly.kpxe  (Debian's ipxe package)",
        "#   ipxe.efi  (Debian's ipxe package)",
        "#   ipxe-arm64.efi  (iPXE's bin-arm64-efi/ipxe.efi)",
        '# Setting the TFTP root to out/<cluster>/pxe/ with the binaries added needs no copies: a build keeps files you add there.',
        'dhcp-match=set:kindling-ipxe,175',
        'dhcp-userclass=set:kindling-ipxe,iPXE',
        'dhcp-match=set:kindling-bios,option:client-arch,0',
        'dhcp-match=set:kindling-x86-64-efi,option:client-arch,7',
        'dhcp-match=set:kindling-x86-64-efi,option:client-arch,9',
        'dhcp-match=set:kindling-arm64-efi,option:client-arch,11',
        'dhcp-match=set:kindling-x86-64-http,option:client-arch,16',
        'dhcp-match=set:kindling-arm64-http,option:client-arch,19',
        'dhcp-boot=tag:kindling-ipxe,http://10.0.0.1:8080/lab/pxe/boot.ipxe',
        'dhcp-boot=tag:!kindling-ipxe,tag:kindling-bios,undionly.kpxe',
        'dhcp-boot=tag:!kindling-ipxe,tag:kindling-x86-64-efi,ipxe.efi',
        'dhcp-boot=tag:!kindling-ipxe,tag:kindling-arm64-efi,ipxe-arm64.efi',
        'dhcp-boot=tag:!kindling-ipxe,tag:kindling-x86-64-http,http://10.0.0.1:8080/lab/assets/ipxe/ipxe.efi',
        'dhcp-option-force=tag:!kindling-ipxe,tag:kindling-x86-64-http,60,HTTPClient',
        'dhcp-boot=tag:!kindling-ipxe,tag:kindling-arm64-http,http://10.0.0.1:8080/lab/assets/ipxe/ipxe-arm64.efi',
        'dhcp-option-force=tag:!kindling-ipxe,tag:kindling-arm64-http,60,HTTPClient',
        '',
      ].join('\n'),
    );
  });

  it('writes a dnsmasq snippet that dnsmasq --test accepts, and dnsmasq --test rejects a broken one', () => {
    const dir = tempDir();
    const good = join(dir, 'dnsmasq.conf');
    writeFileSync(good, fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/dnsmasq.conf'));
    const check = spawnSync('dnsmasq', ['--test', `--conf-file=${good}`], { encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(check.stderr).toMatch(/syntax check OK/);
    expect(check.status).toBe(0);
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/dnsmasq.conf').replace('dhcp-userclass=set:kindling-ipxe,iPXE', 'dhcp-userclass=kindling-ipxe'));
    expect(spawnSync('dnsmasq', ['--test', `--conf-file=${broken}`]).status).not.toBe(0);
  });

  it('writes an ISC dhcpd snippet that branches on option arch, with iPXE first', () => {
    expect(fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/dhcpd.conf')).toBe(
      [
        '# kindling: DHCP boot options for cluster lab (ISC dhcpd: include "<this file>"; at the top level).',
        '# No subnet or range here: the site owns addressing. Declare option arch only here, not again elsewhere.',
        '# The TFTP server (next-server) holds:',
        "#   undionly.kpxe  (Debian's ipxe package)",
        "#   ipxe.efi  (Debian's ipxe package)",
        "#   ipxe-arm64.efi  (iPXE's bin-arm64-efi/ipxe.efi)",
        '# Setting the TFTP root to out/<cluster>/pxe/ with the binaries added needs no copies: a build keeps files you add there.',
        'option arch code 93 = unsigned integer 16;',
        'if exists user-class and option user-class = "iPXE" {',
        '  filename "http://10.0.0.1:8080/lab/pxe/boot.ipxe";',
        '} elsif option arch = 00:00 {',
        '  filename "undionly.kpxe";',
        '} elsif option arch = 00:07 or option arch = 00:09 {',
        '  filename "ipxe.efi";',
        '} elsif option arch = 00:0b {',
        '  filename "ipxe-arm64.efi";',
        '} elsif option arch = 00:10 {',
        '  option vendor-class-identifier "HTTPClient";',
        '  filename "http://10.0.0.1:8080/lab/assets/ipxe/ipxe.efi";',
        '} elsif option arch = 00:13 {',
        '  option vendor-class-identifier "HTTPClient";',
        '  filename "http://10.0.0.1:8080/lab/assets/ipxe/ipxe-arm64.efi";',
        '}',
        '',
      ].join('\n'),
    );
  });

  it.skipIf(!onPath('dhcpd'))('writes an ISC dhcpd snippet that dhcpd -t accepts, and dhcpd -t rejects a broken one', () => {
    const dir = tempDir();
    const good = join(dir, 'dhcpd.conf');
    writeFileSync(good, fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/dhcpd.conf'));
    const check = spawnSync('dhcpd', ['-t', '-cf', good], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/dhcpd.conf').replace('filename "undionly.kpxe";', 'filename "undionly.kpxe"'));
    expect(spawnSync('dhcpd', ['-t', '-cf', broken]).status).not.toBe(0);
  });

  it('writes Kea client classes whose tests on option[93] pick each binary, iPXE first', () => {
    const kea = JSON.parse(fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/kea-dhcp4.json'));
    const http = (file: string) => ({ 'boot-file-name': file, 'option-data': [{ name: 'vendor-class-identifier', data: 'HTTPClient' }] });
    expect(kea).toEqual({
      Dhcp4: {
        'client-classes': [
          { name: 'kindling-ipxe', test: "option[175].exists or substring(option[77].hex,0,4) == 'iPXE'", 'boot-file-name': 'http://10.0.0.1:8080/lab/pxe/boot.ipxe' },
          { name: 'kindling-bios', test: "not member('kindling-ipxe') and option[93].hex == 0x0000", 'boot-file-name': 'undionly.kpxe' },
          { name: 'kindling-x86-64-efi', test: "not member('kindling-ipxe') and (option[93].hex == 0x0007 or option[93].hex == 0x0009)", 'boot-file-name': 'ipxe.efi' },
          { name: 'kindling-arm64-efi', test: "not member('kindling-ipxe') and option[93].hex == 0x000b", 'boot-file-name': 'ipxe-arm64.efi' },
          { name: 'kindling-x86-64-http', test: "not member('kindling-ipxe') and option[93].hex == 0x0010", ...http('http://10.0.0.1:8080/lab/assets/ipxe/ipxe.efi') },
          { name: 'kindling-arm64-http', test: "not member('kindling-ipxe') and option[93].hex == 0x0013", ...http('http://10.0.0.1:8080/lab/assets/ipxe/ipxe-arm64.efi') },
        ],
      },
    });
  });

  it.skipIf(!onPath('kea-dhcp4'))('writes a Kea snippet that kea-dhcp4 -t accepts, and kea-dhcp4 -t rejects a broken one', () => {
    const dir = tempDir();
    const good = join(dir, 'kea-dhcp4.json');
    writeFileSync(good, fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/kea-dhcp4.json'));
    const check = spawnSync('kea-dhcp4', ['-t', good], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, fileOf(renderDhcp(CLUSTER, PUBLISH, LOADERS), 'dhcp/kea-dhcp4.json').replace('0x000b', '0x00zz'));
    expect(spawnSync('kea-dhcp4', ['-t', broken]).status).not.toBe(0);
  });

  it('percent-encodes the URL characters that DHCP configuration syntax would read (comma, quote, backslash)', () => {
    const files = renderDhcp({ name: 'lab' }, "http://10.0.0.1/a,b'c\"d\\e/", LOADERS);
    const encoded = 'http://10.0.0.1/a%2Cb%27c%22d%5Ce/pxe/boot.ipxe';
    expect(fileOf(files, 'dhcp/dnsmasq.conf')).toContain(`dhcp-boot=tag:kindling-ipxe,${encoded}\n`);
    expect(fileOf(files, 'dhcp/dhcpd.conf')).toContain(`  filename "${encoded}";\n`);
    expect(JSON.parse(fileOf(files, 'dhcp/kea-dhcp4.json')).Dhcp4['client-classes'][0]['boot-file-name']).toBe(encoded);
  });

  it('takes the HTTP-boot binaries from bootAssets.baseURL when it is set', () => {
    const files = renderDhcp({ ...CLUSTER, bootAssets: { baseURL: 'http://10.0.0.2/assets' } }, PUBLISH, LOADERS);
    expect(fileOf(files, 'dhcp/dnsmasq.conf')).toContain('dhcp-boot=tag:!kindling-ipxe,tag:kindling-x86-64-http,http://10.0.0.2/assets/ipxe/ipxe.efi\n');
  });

  it('hands each client architecture the first boot loader in bootLoaders order that runs there, and dnsmasq --test accepts every choice', () => {
    const bootFiles = (loaders: readonly BootLoader[]): string[] =>
      fileOf(renderDhcp(CLUSTER, 'http://10.0.0.1/lab/', loaders), 'dhcp/dnsmasq.conf')
        .split('\n')
        .filter((l) => l.startsWith('dhcp-boot='));
    expect(bootFiles(['grub', 'pxelinux', 'ipxe'])).toEqual([
      'dhcp-boot=tag:kindling-ipxe,http://10.0.0.1/lab/pxe/boot.ipxe',
      'dhcp-boot=tag:!kindling-ipxe,tag:kindling-bios,lpxelinux.0',
      'dhcp-boot=tag:!kindling-ipxe,tag:kindling-x86-64-efi,grubx64.efi',
      'dhcp-boot=tag:!kindling-ipxe,tag:kindling-arm64-efi,grubaa64.efi',
      'dhcp-boot=tag:!kindling-ipxe,tag:kindling-x86-64-http,http://10.0.0.1/lab/assets/ipxe/ipxe.efi',
      'dhcp-boot=tag:!kindling-ipxe,tag:kindling-arm64-http,http://10.0.0.1/lab/assets/ipxe/ipxe-arm64.efi',
    ]);
    expect(bootFiles(['pxelinux'])).toEqual(['dhcp-boot=tag:kindling-bios,lpxelinux.0']);
    expect(bootFiles(['grub'])).toEqual(['dhcp-boot=tag:kindling-x86-64-efi,grubx64.efi', 'dhcp-boot=tag:kindling-arm64-efi,grubaa64.efi']);
    const grub = fileOf(renderDhcp(CLUSTER, 'http://10.0.0.1/lab/', ['grub', 'pxelinux']), 'dhcp/dnsmasq.conf');
    expect(grub).toContain("# The TFTP root holds:\n#   lpxelinux.0  (Debian's pxelinux package, with ldlinux.c32 from syslinux-common beside it)\n#   grubx64.efi  (grubnetx64.efi.signed from Debian's grub-efi-amd64-signed)\n#   grubaa64.efi  (grubnetaa64.efi.signed from Debian's grub-efi-arm64-signed)\n#   grub/  a copy of out/<cluster>/pxe/grub/ (GRUB's prefix: it reads grub/grub.cfg)\n#   grub/x86_64-efi/http.mod  (grub-efi-amd64-bin: GRUB fetches the kernels over http with it)\n#   grub/arm64-efi/http.mod  (grub-efi-arm64-bin: GRUB fetches the kernels over http with it)\n#   pxelinux.cfg/  a copy of out/<cluster>/pxe/pxelinux.cfg/\n");
    expect(grub).not.toContain('kindling-ipxe');
    expect(fileOf(renderDhcp(CLUSTER, 'http://10.0.0.1/lab/', ['grub']), 'dhcp/dhcpd.conf')).toContain('if option arch = 00:07 or option arch = 00:09 {\n  filename "grubx64.efi";\n} elsif option arch = 00:0b {\n  filename "grubaa64.efi";\n}\n');
    expect(JSON.parse(fileOf(renderDhcp(CLUSTER, 'http://10.0.0.1/lab/', ['pxelinux']), 'dhcp/kea-dhcp4.json'))).toEqual({ Dhcp4: { 'client-classes': [{ name: 'kindling-bios', test: 'option[93].hex == 0x0000', 'boot-file-name': 'lpxelinux.0' }] } });
    const dir = tempDir();
    for (const loaders of [['ipxe'], ['grub'], ['pxelinux'], ['grub', 'pxelinux'], ['pxelinux', 'grub', 'ipxe']] as BootLoader[][]) {
      const path = join(dir, `${loaders.join('-')}.conf`);
      writeFileSync(path, fileOf(renderDhcp(CLUSTER, 'http://10.0.0.1/lab/', loaders), 'dhcp/dnsmasq.conf'));
      const check = spawnSync('dnsmasq', ['--test', `--conf-file=${path}`], { encoding: 'utf8' });
      expect(check.stderr, loaders.join(',')).toMatch(/syntax check OK/);
      expect(check.status, loaders.join(',')).toBe(0);
    }
  });
});

describe('clusterFiles', () => {
  it('writes the cluster files for nodes that have only a uuid or serial, and no boot.ipxe without iPXE', () => {
    const dir = exampleProject({
      'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: http://10.0.0.1/lab/\n`,
      'nodes/nodes.yaml': (text) => text.replace(/macs: \[[^\]]*\]/g, '').replace('name: cp-1', 'name: cp-1\nuuid: 4C4C4544-0042-3510-8052-B4C04F4E4A31'),
    });
    const loaded = loadProject(dir, { env: {} });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pxeAndDhcp = (project: Project) => clusterFiles(project).filter((f) => /^(pxe|dhcp)\//.test(f.path));
    expect(pxeAndDhcp(loaded.project!).map((f) => f.path)).toEqual(['pxe/boot.ipxe', 'pxe/grub/grub.cfg', 'pxe/pxelinux.cfg/default', 'dhcp/dnsmasq.conf', 'dhcp/dhcpd.conf', 'dhcp/kea-dhcp4.json']);
    const noIpxe = loadProject(exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: http://10.0.0.1/lab/\n  bootLoaders: [grub]\n` }), { env: {} });
    expect(pxeAndDhcp(noIpxe.project!).map((f) => [f.path, f.kind])).toEqual([
      ['pxe/grub/grub.cfg', 'grub'],
      ['dhcp/dnsmasq.conf', 'dhcp'],
      ['dhcp/dhcpd.conf', 'dhcp'],
      ['dhcp/kea-dhcp4.json', 'dhcp'],
    ]);
  });


  it('adds the DHCP snippets beside boot.ipxe and pxelinux.cfg/default when the cluster has a publishURL and nodes with MACs', () => {
    const dir = exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: http://10.0.0.1:8080/lab/\n` });
    const loaded = loadProject(dir, { env: {} });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = clusterFiles(loaded.project!).filter((f) => /^(pxe|dhcp)\//.test(f.path));
    expect(files.map((f) => [f.path, f.kind, f.mode])).toEqual([
      ['pxe/boot.ipxe', 'ipxe', 0o644],
      ['pxe/pxelinux.cfg/default', 'pxelinux', 0o644],
      ['dhcp/dnsmasq.conf', 'dhcp', 0o644],
      ['dhcp/dhcpd.conf', 'dhcp', 0o644],
      ['dhcp/kea-dhcp4.json', 'dhcp', 0o644],
    ]);
  });
});
