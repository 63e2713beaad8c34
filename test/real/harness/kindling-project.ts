/**
 * Writes the fixture kindling project (test/real/fixtures/kindling-project/*.tmpl) into a scratch
 * directory with the mirror pointed at a test server and every artifact hash pinned from the
 * stand-ins, runs the real CLI (`node bin/kindling.js build`), and finds the nodes it produced.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, runChecked } from './run.ts';
import type { RunResult } from './run.ts';
import type { CniTarball, StandIn } from './stand-ins.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/kindling-project', import.meta.url));

/** The release URLs the fixture names (its mirror keeps these paths). */
export const FIXTURE_URLS = {
  flanneld: 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64',
  cniPlugin: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-amd64',
  cniPlugins: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz',
} as const;

const FIXTURE_CLUSTER = 'realtest';
/** The fixture's nodes and their `os` (nodes/nodes.yaml). */
export const FIXTURE_NODE_OS: Readonly<Record<string, 'flatcar' | 'fcos' | 'cloud-init'>> = {
  'cp-1': 'flatcar',
  'worker-1': 'fcos',
  'worker-2': 'cloud-init',
};
/** The role of each fixture node (nodes/nodes.yaml); roles/*.yaml write it to /etc/kindling/role. */
export const FIXTURE_NODE_ROLE: Readonly<Record<string, 'control-plane' | 'worker'>> = {
  'cp-1': 'control-plane',
  'worker-1': 'worker',
  'worker-2': 'worker',
};
/** The oneshot unit roles/worker.yaml adds (not modelled by kindling, carried through). */
export const FIXTURE_WORKER_UNIT = 'kindling-motd.service';
export const FIXTURE_USER = 'core';
export const FIXTURE_API_SERVER = 'https://10.0.0.10:6443';
/** Where flanneld belongs per OS: /usr is read-only on Flatcar, /usr/local is writable on FCOS. */
export const FLANNELD_PATH = { flatcar: '/opt/bin/flanneld', fcos: '/usr/local/bin/flanneld', 'cloud-init': '/usr/local/bin/flanneld' } as const;
export const FIXTURE_SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKindlingRealConsumerTestKeyNotARealKey000000 ops@kindling-test';
export const FIXTURE_TOKEN = 'kindling-real-consumer-test-token.not-a-real-secret';

export interface FixtureStandIns {
  readonly flanneld: StandIn;
  readonly flannelCni: StandIn;
  readonly cniTarball: CniTarball;
}

export interface FixtureProjectOptions {
  readonly dir: string;
  /** e.g. http://127.0.0.1:8080 */
  readonly mirror: string;
  readonly standIns: FixtureStandIns;
  /** Pin a different sha512 for one artifact (the wrong-hash variant). */
  readonly sha512Overrides?: Partial<Record<keyof typeof FIXTURE_URLS, string>>;
}

/** Server path → bytes: what the mirror must serve for the fixture's artifacts. */
export function mirrorFiles(standIns: FixtureStandIns): Record<string, Buffer> {
  return {
    [new URL(FIXTURE_URLS.flanneld).pathname]: standIns.flanneld.bytes,
    [new URL(FIXTURE_URLS.cniPlugin).pathname]: standIns.flannelCni.bytes,
    [new URL(FIXTURE_URLS.cniPlugins).pathname]: standIns.cniTarball.bytes,
  };
}

/** Writes the project: profiles from the templates, the token, and a CA certificate made with openssl. */
export async function writeFixtureProject(options: FixtureProjectOptions): Promise<void> {
  mkdirSync(options.dir, { recursive: true });
  const sha = (key: keyof typeof FIXTURE_URLS, standIn: StandIn) => options.sha512Overrides?.[key] ?? standIn.sha512;
  const fill = (text: string) =>
    text
      .replaceAll('@@MIRROR@@', options.mirror)
      .replaceAll('@@FLANNELD_SHA512@@', sha('flanneld', options.standIns.flanneld))
      .replaceAll('@@CNI_PLUGIN_SHA512@@', sha('cniPlugin', options.standIns.flannelCni))
      .replaceAll('@@CNI_PLUGINS_SHA512@@', sha('cniPlugins', options.standIns.cniTarball));
  const copy = (relative: string): void => {
    const from = join(FIXTURE, relative);
    const to = join(options.dir, relative);
    if (statSync(from).isDirectory()) {
      mkdirSync(to, { recursive: true });
      for (const name of readdirSync(from)) copy(join(relative, name));
    } else if (relative.endsWith('.tmpl')) {
      writeFileSync(to.slice(0, -'.tmpl'.length), fill(readFileSync(from, 'utf8')));
    } else {
      copyFileSync(from, to);
    }
  };
  copy('.');
  // The CA key is thrown away with the scratch directory; only the certificate matters here.
  await runChecked('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', '/CN=kindling-real-test-ca', '-days', '3650',
    '-keyout', join(options.dir, 'secrets/ca.key'), '-out', join(options.dir, 'secrets/ca.crt'),
  ]);
}

/** `node bin/kindling.js build <dir> --out <out>`, from the repository root, as a user would run it. */
export function kindlingBuild(projectDir: string, outDir: string, extraArgs: readonly string[] = []): Promise<RunResult> {
  return run(process.execPath, [join(REPO_ROOT, 'bin/kindling.js'), 'build', projectDir, '--out', outDir, ...extraArgs], {
    cwd: REPO_ROOT,
    killAfterMs: 120_000,
  });
}

export interface BuiltNode {
  readonly name: string;
  readonly dir: string;
  readonly files: readonly string[];
  readonly kind: 'ignition' | 'cloud-init';
}

/** The node directories of a built cluster: `<out>/<cluster>/nodes/<node>/`. */
export function builtNodes(outDir: string, cluster = FIXTURE_CLUSTER): BuiltNode[] {
  const nodesDir = join(outDir, cluster, 'nodes');
  if (!existsSync(nodesDir)) throw new Error(`kindling build wrote no ${nodesDir}`);
  return readdirSync(nodesDir)
    .sort()
    .map((name) => {
      const dir = join(nodesDir, name);
      const files = readdirSync(dir).sort();
      // A Butane/Ignition node is recognised by either file, so a build that forgot config.ign still
      // counts as an Ignition node and its test fails on the missing file instead of skipping it.
      const kind = files.includes('config.ign') || files.includes('config.bu') ? 'ignition' : 'cloud-init';
      return { name, dir, files, kind } as const;
    });
}
