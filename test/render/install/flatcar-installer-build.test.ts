import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildExample } from '../../helpers/build-example.ts';
import { exampleProject, replaceOnce } from '../../helpers/project.ts';

const PUBLISH = 'http://10.0.0.1:8080/lab/';
const MIRROR = 'http://mirror.lab/flatcar/amd64-usr';

/** The example with a publish URL, its flatcar node installing from a mirror and its fcos node installing too. */
function installingProject(): Record<string, (text: string) => string> {
  return {
    'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${PUBLISH}\n`,
    'nodes/nodes.yaml': (text) =>
      replaceOnce('ip: 10.0.0.11\n', `ip: 10.0.0.11\ninstall: { disk: /dev/vda, flatcar: { baseURL: ${MIRROR} } }\n`)(
        replaceOnce('ip: 10.0.0.21\n', 'ip: 10.0.0.21\ninstall: { disk: /dev/sdb }\n')(text),
      ),
  };
}

interface Manifest {
  artifacts: { path: string; node?: string; kind: string }[];
  nodes: { name: string; delivery: Record<string, unknown> }[];
}

/** The installer script inside install.ign (its only file). */
function installerScript(installIgn: string): string {
  const file = (JSON.parse(installIgn) as { storage: { files: { contents: { source: string; compression?: string } }[] } }).storage.files[0]!;
  const match = /^data:[^,]*?(;base64)?,(.*)$/s.exec(file.contents.source)!;
  const raw = match[1] ? Buffer.from(match[2]!, 'base64') : Buffer.from(decodeURIComponent(match[2]!), 'utf8');
  return (file.contents.compression === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('hex');

describe('a build with a Flatcar node that installs to disk', () => {
  it('writes nodes/<node>/install.ign beside config.ign, not secret (0644), expecting the sha512 of the config.ign it wrote', () => {
    const built = buildExample(exampleProject(installingProject()));
    const dir = join(built.clusterDir, 'nodes/cp-1');
    const installIgn = join(dir, 'install.ign');
    expect(existsSync(installIgn)).toBe(true);
    expect(statSync(installIgn).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'config.ign')).mode & 0o777).toBe(0o600);
    const script = installerScript(readFileSync(installIgn, 'utf8'));
    expect(script).toContain(`expected=${sha512(readFileSync(join(dir, 'config.ign')))}\n`);
    expect(script).toContain(`url=${PUBLISH}nodes/cp-1/config.ign\n`);
    expect(script).toContain(`flatcar-install -d /dev/vda -C stable -V current -b ${MIRROR} -i "$config"\n`);
  });

  it('lists install.ign in the manifest as an ignition-installer artifact, and the install facts per node', () => {
    const built = buildExample(exampleProject(installingProject()));
    const manifest = JSON.parse(readFileSync(join(built.clusterDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.artifacts.filter((a) => a.kind === 'ignition-installer').map((a) => [a.path, a.node])).toEqual([['nodes/cp-1/install.ign', 'cp-1']]);
    const delivery = (name: string) => manifest.nodes.find((n) => n.name === name)!.delivery;
    expect(delivery('cp-1')['install']).toEqual({ disk: '/dev/vda', installerConfig: 'nodes/cp-1/install.ign', installerConfigURL: `${PUBLISH}nodes/cp-1/install.ign` });
    expect(delivery('worker-1')['install']).toEqual({ disk: '/dev/sdb' });
    expect(delivery('worker-2')['install']).toBeUndefined();
  });

  it('writes no install.ign for a node without install, nor for an installing fcos node (coreos-installer fetches config.ign itself)', () => {
    const built = buildExample(exampleProject(installingProject()));
    expect(existsSync(join(built.clusterDir, 'nodes/worker-1/install.ign'))).toBe(false);
    const plain = buildExample(exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${PUBLISH}\n` }));
    expect(existsSync(join(plain.clusterDir, 'nodes/cp-1/install.ign'))).toBe(false);
  });

  it('rewrites install.ign with the new hash when a rebuild changes the node\'s config.ign', () => {
    const project = exampleProject(installingProject());
    const first = buildExample(project);
    const dir = join(first.clusterDir, 'nodes/cp-1');
    const before = readFileSync(join(dir, 'install.ign'), 'utf8');
    const nodes = join(project, 'nodes/nodes.yaml');
    writeFileSync(nodes, replaceOnce('ip: 10.0.0.11\n', 'ip: 10.0.0.12\n')(readFileSync(nodes, 'utf8')));
    buildExample(project, first.outDir);
    const config = readFileSync(join(dir, 'config.ign'));
    const after = readFileSync(join(dir, 'install.ign'), 'utf8');
    expect(after).not.toBe(before);
    expect(installerScript(after)).toContain(`expected=${sha512(config)}\n`);
  });
});
