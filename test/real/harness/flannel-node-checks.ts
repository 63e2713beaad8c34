/**
 * What every kindling node must look like after first boot, whichever consumer (Ignition or
 * cloud-init) wrote it: shared by the kindling-*.test.ts files. `node` reads the node's filesystem
 * after first boot (the session's view: upper dir over Ignition's root or over Debian).
 */
import { expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked } from './run.ts';
import { CNI_TARBALL_MEMBERS } from './stand-ins.ts';
import type { FixtureStandIns } from './kindling-project.ts';
import { FIXTURE_API_SERVER, FIXTURE_TOKEN } from './kindling-project.ts';
import type { TreeEntry } from './tree-listing.ts';
import { octal } from './tree-listing.ts';
import { parseEnvironment, parseExec, parseUnit, unitValues } from './unit-file.ts';

export interface NodeView {
  read(path: string): Buffer;
  /** The listing entry for a node path, from whichever layer holds it. */
  entry(path: string): TreeEntry | undefined;
}

export function expectFile(node: NodeView, path: string, mode: number, bytes?: Buffer): void {
  const entry = node.entry(path);
  expect(entry, `${path} is missing`).toBeDefined();
  expect(entry?.type, path).toBe('file');
  expect(octal(entry?.mode ?? 0), `${path} mode`).toBe(octal(mode));
  expect([entry?.uid, entry?.gid], `${path} owner`).toEqual([0, 0]);
  if (bytes) expect(node.read(path).equals(bytes), `${path} differs from the stand-in`).toBe(true);
}

/** flanneld's unit: Type=notify, NODE_NAME, and an ExecStart whose binary is the stand-in at `binary`. */
export function expectFlanneldUnit(node: NodeView, nodeName: string, binary: string, standIns: FixtureStandIns): void {
  const text = node.read('/etc/systemd/system/flanneld.service').toString();
  const unit = parseUnit('flanneld.service', [text]);
  expect(unitValues(unit, 'Service', 'Type')).toEqual(['notify']);
  const env = parseEnvironment(unit);
  expect(env.NODE_NAME).toBe(nodeName);
  const [execStart] = unitValues(unit, 'Service', 'ExecStart');
  const argv = parseExec(execStart ?? '', 'flanneld.service', env).argv;
  expect(argv[0]).toBe(binary);
  expect(argv).toContain('--kube-subnet-mgr=true');
  expectFile(node, binary, 0o755, standIns.flanneld.bytes);
  const kubeconfigFlag = argv.find((a) => a.startsWith('--kubeconfig-file='));
  const netConfFlag = argv.find((a) => a.startsWith('--net-config-path='));
  expect(kubeconfigFlag && node.entry(kubeconfigFlag.split('=')[1] ?? ''), 'the kubeconfig flanneld is given exists').toBeDefined();
  expect(netConfFlag && node.entry(netConfFlag.split('=')[1] ?? ''), 'the net-conf flanneld is given exists').toBeDefined();
}

export function expectCni(node: NodeView, standIns: FixtureStandIns): void {
  expectFile(node, '/opt/cni/bin/flannel', 0o755, standIns.flannelCni.bytes);
  for (const name of CNI_TARBALL_MEMBERS) {
    const entry = node.entry(`/opt/cni/bin/${name}`);
    expect(entry?.type, `/opt/cni/bin/${name}`).toBe('file');
    expect((entry?.mode ?? 0) & 0o111, `/opt/cni/bin/${name} is executable`).not.toBe(0);
    expect(node.read(`/opt/cni/bin/${name}`).equals(standIns.cniTarball.members[name]), `/opt/cni/bin/${name}`).toBe(true);
  }
  const conflist = JSON.parse(node.read('/etc/cni/net.d/10-flannel.conflist').toString()) as {
    plugins: { type: string }[];
  };
  expect(conflist.plugins.map((p) => p.type)).toEqual(expect.arrayContaining(['flannel', 'portmap']));
}

export function expectNetConf(node: NodeView): void {
  const netConf = JSON.parse(node.read('/etc/kube-flannel/net-conf.json').toString()) as {
    Network: string;
    Backend: { Type: string };
  };
  expect(netConf).toMatchObject({ Network: '10.244.0.0/16', Backend: { Type: 'vxlan' } });
}

/** The kubeconfig is 0600 root:root and real kubectl reads server, CA and token from it. */
export async function expectKubeconfig(node: NodeView, path = '/etc/kubernetes/flanneld.kubeconfig'): Promise<void> {
  expectFile(node, path, 0o600);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-kubeconfig-'));
  try {
    const file = join(dir, 'config');
    writeFileSync(file, node.read(path));
    const view = await runChecked('kubectl', ['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json']);
    const config = JSON.parse(view.stdout) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token?: string } }[];
    };
    expect(config.clusters[0]?.cluster.server).toBe(FIXTURE_API_SERVER);
    expect(Buffer.from(config.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString()).toContain(
      'BEGIN CERTIFICATE',
    );
    expect(config.users[0]?.user.token).toBe(FIXTURE_TOKEN);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
