import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildNode } from '../../../src/build/build-node.ts';
import { loadProject } from '../../../src/build/load-project.ts';
import { autoinstallProblems } from '../../../src/render/install/autoinstall-schema.ts';
import { renderAutoinstall } from '../../../src/render/install/autoinstall.ts';
import type { ResolvedNode } from '../../../src/resolve/project-model.ts';
import { exampleProject, replaceOnce, tempDir } from '../../helpers/project.ts';

const PUBLISH = 'http://10.0.0.1:8080/lab/';
const STATIC = 'network: { mac: "52:54:00:00:00:22", name: ens3, addresses: [10.0.0.22/24], gateway: 10.0.0.1, nameservers: [10.0.0.1], search: [lab.example] }\n';

/** The example's cloud-init node worker-2, installing to `disk`, with `extra` lines in its document; and its own user-data. */
function installingWorker(disk = '/dev/sda', extra = ''): { node: ResolvedNode & { install: NonNullable<ResolvedNode['install']> }; userData: string } {
  const dir = exampleProject({
    'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${PUBLISH}\n`,
    'nodes/nodes.yaml': replaceOnce('macs: [52:54:00:00:00:22]\n', `macs: [52:54:00:00:00:22]\ninstall: { disk: ${disk} }\n${extra}`),
  });
  const { project, diagnostics } = loadProject(dir, { env: {} });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const node = project!.nodes.find((n) => n.name === 'worker-2')!;
  const userData = buildNode(project!, node).build!.artifacts.find((a) => a.name === 'user-data')!.data as string;
  return { node: node as ResolvedNode & { install: NonNullable<ResolvedNode['install']> }, userData };
}

function rendered(disk?: string, extra?: string) {
  const { node, userData } = installingWorker(disk, extra);
  const seed = renderAutoinstall(node, node.install, userData);
  expect(seed.diagnostics).toEqual([]);
  const file = (name: string): string => seed.files.find((f) => f.name === name)!.data;
  const text = file('autoinstall/user-data');
  return { node, userData, seed, text, document: load(text) as { autoinstall: Record<string, unknown> }, metaData: file('autoinstall/meta-data') };
}

/** `cloud-init schema` (Debian's cloud-init) on a file holding `text`: its output and exit status. */
function cloudInitSchema(text: string): { stdout: string; stderr: string; status: number | null; file: string } {
  const file = join(tempDir(), 'user-data');
  writeFileSync(file, text);
  const run = spawnSync('cloud-init', ['schema', '--config-file', file], { encoding: 'utf8' });
  expect(run.error, 'cloud-init must be installed (apt-get install cloud-init)').toBeUndefined();
  return { stdout: run.stdout.trim(), stderr: run.stderr.trim(), status: run.status, file };
}

describe('the autoinstall seed of a cloud-init node that installs to disk', () => {
  it('writes for a DHCP node: version 1, the direct layout on its disk, an SSH server without passwords, reboot, and its own cloud-config', () => {
    const { document, text, seed } = rendered();
    expect(seed.files.map((f) => f.name)).toEqual(['autoinstall/user-data', 'autoinstall/meta-data']);
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    expect(Object.keys(document)).toEqual(['autoinstall']);
    expect(Object.keys(document.autoinstall)).toEqual(['version', 'storage', 'ssh', 'shutdown', 'user-data']);
    expect(document.autoinstall.version).toBe(1);
    expect(document.autoinstall.storage).toEqual({ layout: { name: 'direct', match: { path: '/dev/sda' } } });
    expect(document.autoinstall.ssh).toEqual({ 'install-server': true, 'allow-pw': false });
    expect(document.autoinstall.shutdown).toBe('reboot');
  });

  it('writes for a static node its netplan v2, for the installer and the installed system', () => {
    const { document } = rendered('/dev/sda', STATIC);
    expect(Object.keys(document.autoinstall)).toEqual(['version', 'storage', 'network', 'ssh', 'shutdown', 'user-data']);
    expect(document.autoinstall.network).toEqual({
      version: 2,
      ethernets: {
        ens3: {
          match: { macaddress: '52:54:00:00:00:22' },
          'set-name': 'ens3',
          dhcp4: false,
          addresses: ['10.0.0.22/24'],
          routes: [{ to: '0.0.0.0/0', via: '10.0.0.1' }],
          nameservers: { addresses: ['10.0.0.1'], search: ['lab.example'] },
        },
      },
    });
  });

  it('passes the autoinstall check, DHCP and static alike', () => {
    expect(autoinstallProblems(rendered().document)).toEqual([]);
    expect(autoinstallProblems(rendered('/dev/sda', STATIC).document)).toEqual([]);
  });

  it("carries the node's own cloud-config in autoinstall.user-data, key for key, with the node's hostname added", () => {
    const { document, userData, node } = rendered('/dev/sda', STATIC);
    const own = load(userData) as Record<string, unknown>;
    expect(Object.keys(own)).toEqual(['users', 'write_files', 'runcmd']);
    expect(document.autoinstall['user-data']).toEqual({ hostname: node.name, ...own });
  });

  it('reads the same through PyYAML (YAML 1.1, as cloud-init and the installer read it) as through js-yaml', () => {
    const { text, document } = rendered('/dev/sda', STATIC);
    const script = 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
    const run = spawnSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(document);
  });

  it("passes Debian's cloud-init schema, which knows the autoinstall key and requires an integer version in it; so does the inner user-data", () => {
    const outer = cloudInitSchema(rendered('/dev/sda', STATIC).text);
    expect(outer).toMatchObject({ stdout: `Valid cloud-config: ${outer.file}`, stderr: '', status: 0 });
    const inner = cloudInitSchema(`#cloud-config\n${JSON.stringify(rendered().document.autoinstall['user-data'])}\n`);
    expect(inner).toMatchObject({ stdout: `Valid cloud-config: ${inner.file}`, stderr: '', status: 0 });
    const missing = cloudInitSchema('#cloud-config\nautoinstall:\n  shutdown: reboot\n');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("Cloud config schema errors: autoinstall: 'version' is a required property");
  });

  it('gives the installer run an instance-id of its own, from the seed it reads', () => {
    const { metaData, text } = rendered();
    expect(metaData).toMatch(/^instance-id: iid-worker-2-autoinstall-[0-9a-f]{12}\nlocal-hostname: worker-2\n$/);
    expect(rendered('/dev/vda').metaData).not.toBe(metaData);
    expect(text).not.toBe(rendered('/dev/vda').text);
  });

  it('matches a /dev/disk/by-id link of a bus that names the serial by that serial, and a kernel name by path', () => {
    expect(rendered('/dev/disk/by-id/ata-QEMU_HARDDISK_QM00001').document.autoinstall.storage).toEqual({ layout: { name: 'direct', match: { serial: 'QEMU_HARDDISK_QM00001' } } });
    expect(rendered('/dev/nvme0n1').document.autoinstall.storage).toEqual({ layout: { name: 'direct', match: { path: '/dev/nvme0n1' } } });
  });

  it('refuses any other /dev/disk/ link at the install block, since the installer cannot match it', () => {
    const { node, userData } = installingWorker('/dev/disk/by-path/pci-0000:00:1f.2-ata-1');
    const seed = renderAutoinstall(node, node.install, userData);
    expect(seed.files).toEqual([]);
    expect(seed.diagnostics).toMatchObject([{ code: 'install/autoinstall-disk', severity: 'error', location: { line: 28, column: 10 } }]);
    expect(seed.diagnostics[0]!.location!.file).toMatch(/nodes\.yaml$/);
  });
});
