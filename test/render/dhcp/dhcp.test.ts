import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDhcp } from '../../../src/render/dhcp/index.ts';
import { clusterFiles } from '../../../src/build/build-project.ts';
import { loadProject } from '../../../src/build/load-project.ts';
import { exampleProject, tempDir } from '../../helpers/project.ts';

const CLUSTER = { name: 'lab', publishURL: 'http://10.0.0.1:8080/lab/' };
const NODES = [{ macs: [] }, { macs: ['52:54:00:00:00:11'] }];

function fileOf(files: readonly { path: string; data: string }[], path: string): string {
  const file = files.find((f) => f.path === path);
  expect(file, path).toBeDefined();
  return file!.data;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

describe('renderDhcp', () => {
  it('writes no DHCP snippets without a publishURL or without a node that has a MAC', () => {
    expect(renderDhcp({ name: 'lab' }, NODES)).toEqual([]);
    expect(renderDhcp(CLUSTER, [{ macs: [] }])).toEqual([]);
  });

  it('writes a dnsmasq snippet that maps each client architecture to its iPXE binary and iPXE to boot.ipxe', () => {
    expect(fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/dnsmasq.conf')).toBe(
      [
        '# kindling: DHCP boot options for cluster lab (dnsmasq: conf-file= or a file in /etc/dnsmasq.d/).',
        '# No dhcp-range here: the site owns addressing (dhcp-range, enable-tftp, tftp-root).',
        '# The TFTP root holds undionly.kpxe and ipxe.efi (Debian\'s ipxe package) and ipxe-arm64.efi (built from iPXE).',
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
    writeFileSync(good, fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/dnsmasq.conf'));
    const check = spawnSync('dnsmasq', ['--test', `--conf-file=${good}`], { encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(check.stderr).toMatch(/syntax check OK/);
    expect(check.status).toBe(0);
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/dnsmasq.conf').replace('dhcp-userclass=set:kindling-ipxe,iPXE', 'dhcp-userclass=kindling-ipxe'));
    expect(spawnSync('dnsmasq', ['--test', `--conf-file=${broken}`]).status).not.toBe(0);
  });

  it('writes an ISC dhcpd snippet that branches on option arch, with iPXE first', () => {
    expect(fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/dhcpd.conf')).toBe(
      [
        '# kindling: DHCP boot options for cluster lab (ISC dhcpd: include "<this file>"; at the top level).',
        '# No subnet or range here: the site owns addressing. Declare option arch only here, not again elsewhere.',
        '# The TFTP server (next-server) holds undionly.kpxe and ipxe.efi (Debian\'s ipxe package) and ipxe-arm64.efi (built from iPXE).',
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
    writeFileSync(good, fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/dhcpd.conf'));
    const check = spawnSync('dhcpd', ['-t', '-cf', good], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/dhcpd.conf').replace('filename "undionly.kpxe";', 'filename "undionly.kpxe"'));
    expect(spawnSync('dhcpd', ['-t', '-cf', broken]).status).not.toBe(0);
  });

  it('writes Kea client classes whose tests on option[93] pick each binary, iPXE first', () => {
    const kea = JSON.parse(fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/kea-dhcp4.json'));
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
    writeFileSync(good, fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/kea-dhcp4.json'));
    const check = spawnSync('kea-dhcp4', ['-t', good], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, fileOf(renderDhcp(CLUSTER, NODES), 'dhcp/kea-dhcp4.json').replace('0x000b', '0x00zz'));
    expect(spawnSync('kea-dhcp4', ['-t', broken]).status).not.toBe(0);
  });

  it('percent-encodes the URL characters that DHCP configuration syntax would read (comma, quote, backslash)', () => {
    const files = renderDhcp({ name: 'lab', publishURL: "http://10.0.0.1/a,b'c\"d\\e/" }, NODES);
    const encoded = 'http://10.0.0.1/a%2Cb%27c%22d%5Ce/pxe/boot.ipxe';
    expect(fileOf(files, 'dhcp/dnsmasq.conf')).toContain(`dhcp-boot=tag:kindling-ipxe,${encoded}\n`);
    expect(fileOf(files, 'dhcp/dhcpd.conf')).toContain(`  filename "${encoded}";\n`);
    expect(JSON.parse(fileOf(files, 'dhcp/kea-dhcp4.json')).Dhcp4['client-classes'][0]['boot-file-name']).toBe(encoded);
  });

  it('takes the HTTP-boot binaries from bootAssets.baseURL when it is set', () => {
    const files = renderDhcp({ ...CLUSTER, bootAssets: { baseURL: 'http://10.0.0.2/assets' } }, NODES);
    expect(fileOf(files, 'dhcp/dnsmasq.conf')).toContain('dhcp-boot=tag:!kindling-ipxe,tag:kindling-x86-64-http,http://10.0.0.2/assets/ipxe/ipxe.efi\n');
  });
});

describe('clusterFiles', () => {
  it('adds the DHCP snippets beside boot.ipxe when the cluster has a publishURL and nodes with MACs', () => {
    const dir = exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: http://10.0.0.1:8080/lab/\n` });
    const loaded = loadProject(dir, { env: {} });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = clusterFiles(loaded.project!);
    expect(files.map((f) => [f.path, f.kind, f.mode])).toEqual([
      ['pxe/boot.ipxe', 'ipxe', 0o644],
      ['dhcp/dnsmasq.conf', 'dhcp', 0o644],
      ['dhcp/dhcpd.conf', 'dhcp', 0o644],
      ['dhcp/kea-dhcp4.json', 'dhcp', 0o644],
    ]);
  });
});
