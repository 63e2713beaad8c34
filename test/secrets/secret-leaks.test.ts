/**
 * Secrets hygiene across a full build: the flannel token (or client key) may appear only in the
 * node outputs that deliver the kubeconfig, which are 0600 in 0700 folders; never in any other
 * output file, and never on stdout/stderr of validate, build, plan, or their --format json forms.
 *
 * The search decodes what a config could hide a secret in (base64 at any alignment, gzip, data
 * URLs, percent-encoding), and the intended files must be found to contain it, so the detector is
 * shown to work and the test can fail.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import type { CliRun } from '../helpers/cli.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { makeThrowawayPki } from '../validate/throwaway-pki.ts';
import type { ThrowawayPki } from '../validate/throwaway-pki.ts';

/** Node outputs that carry the kubeconfig on purpose. */
const INTENDED = new Set(['config.bu', 'config.ign', 'user-data', 'seed.iso', 'ignition.img']);

/** Text forms a secret can take inside a config: itself, base64 at each of the 3 alignments, percent-encoded. */
function forms(secret: string): string[] {
  const found = [secret, encodeURIComponent(secret)];
  for (let pad = 0; pad < 3; pad++) {
    // Base64 of the secret behind `pad` other bytes: the first and last 4 characters depend on the neighbours.
    found.push(Buffer.from('x'.repeat(pad) + secret, 'utf8').toString('base64').slice(4, -4));
  }
  return found;
}

function tryGunzip(data: Buffer): Buffer | undefined {
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) return undefined;
  try {
    return gunzipSync(data);
  } catch {
    return undefined;
  }
}

/** True when `data` holds the secret in any form, looking inside gzip and base64 runs (data URLs, gz+b64). */
function holds(data: Buffer, secrets: readonly string[], depth = 0): boolean {
  const text = data.toString('latin1');
  if (secrets.some((s) => forms(s).some((f) => text.includes(f)))) return true;
  if (depth > 3) return false;
  const unzipped = tryGunzip(data);
  if (unzipped !== undefined) return holds(unzipped, secrets, depth + 1);
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      if (holds(Buffer.from(decodeURIComponent(text), 'latin1'), secrets, depth + 1)) return true;
    } catch {
      // a stray % that is not percent-encoding
    }
  }
  for (const run of text.matchAll(/[A-Za-z0-9+/]{40,}={0,2}/g)) {
    const decoded = Buffer.from(run[0], 'base64');
    if (holds(decoded, secrets, depth + 1)) return true;
  }
  return false;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

interface Leak {
  readonly where: string;
}

/** Builds `dir` and runs every reporting command; returns the output tree and the captured runs. */
async function buildAndReport(dir: string): Promise<{ out: string; runs: Record<string, CliRun> }> {
  const out = join(tempDir(), 'out');
  const runs: Record<string, CliRun> = {
    validate: await runCli(['validate', dir]),
    'validate --format json': await runCli(['validate', dir, '--format', 'json']),
    build: await runCli(['build', dir, '--out', out]),
    'build --format json': await runCli(['build', dir, '--out', join(tempDir(), 'out-json'), '--format', 'json']),
  };
  for (const node of ['cp-1', 'worker-1', 'worker-2']) {
    runs[`plan ${node}`] = await runCli(['plan', node, dir]);
    runs[`plan ${node} --format json`] = await runCli(['plan', node, dir, '--format', 'json']);
  }
  return { out, runs };
}

function checkTree(out: string, secrets: readonly string[]): { leaks: Leak[]; carriers: string[] } {
  const leaks: Leak[] = [];
  const carriers: string[] = [];
  for (const file of filesUnder(out)) {
    if (!holds(readFileSync(file), secrets)) continue;
    const rel = relative(out, file);
    const intended = INTENDED.has(basename(file)) && /^[^/]+\/nodes\/[^/]+\/[^/]+$/.test(rel);
    if (!intended) leaks.push({ where: rel });
    else carriers.push(rel);
  }
  return { leaks, carriers };
}

function checkRuns(runs: Record<string, CliRun>, secrets: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  for (const [name, run] of Object.entries(runs)) {
    if (holds(Buffer.from(run.stdout, 'utf8'), secrets)) leaks.push({ where: `${name} stdout` });
    if (holds(Buffer.from(run.stderr, 'utf8'), secrets)) leaks.push({ where: `${name} stderr` });
  }
  return leaks;
}

function expectPrivateModes(out: string, carriers: readonly string[]): void {
  for (const rel of carriers) {
    const file = join(out, rel);
    expect({ file: rel, mode: (statSync(file).mode & 0o777).toString(8) }).toEqual({ file: rel, mode: '600' });
    expect({ dir: dirname(rel), mode: (statSync(dirname(file)).mode & 0o777).toString(8) }).toEqual({ dir: dirname(rel), mode: '700' });
  }
}

const KUBECONFIG = '/etc/kubernetes/flanneld.kubeconfig';

/** On the node, in every target: the kubeconfig is 0600 and owned by root. */
function expectRootOnlyKubeconfigOnNodes(out: string): void {
  for (const node of ['cp-1', 'worker-1']) {
    const ign = JSON.parse(readFileSync(join(out, 'lab/nodes', node, 'config.ign'), 'utf8')) as {
      storage: { files: { path: string; mode?: number; user?: { id?: number; name?: string }; group?: { id?: number; name?: string } }[] };
    };
    const entry = ign.storage.files.find((f) => f.path === KUBECONFIG);
    expect(entry?.mode).toBe(0o600);
    // Ignition's default owner is root (uid/gid 0); anything else must say root explicitly.
    for (const owner of [entry?.user, entry?.group]) if (owner !== undefined) expect(owner.id === 0 || owner.name === 'root').toBe(true);
  }
  const userData = readFileSync(join(out, 'lab/nodes/worker-2/user-data'), 'utf8');
  const at = userData.indexOf(`- path: ${KUBECONFIG}`);
  expect(at).toBeGreaterThan(0);
  const entry = userData.slice(at, userData.indexOf('content:', at));
  expect(entry).toMatch(/owner: root:root/);
  expect(entry).toMatch(/permissions: '0600'/);
}

describe('secrets in a full build', () => {
  it('keeps the token to the node outputs that deliver the kubeconfig, 0600 in 0700 folders, and off every log', async () => {
    const dir = exampleProject();
    const token = readFileSync(join(dir, 'secrets/flannel.token'), 'utf8').trim();
    expect(token.length).toBeGreaterThan(20);
    const { out, runs } = await buildAndReport(dir);
    expect(runs.build?.status).toBe(0);
    expect(runs['plan cp-1']?.stdout).toContain('<secret>');

    const tree = checkTree(out, [token]);
    expect(tree.leaks).toEqual([]);
    // Every node carries it: proof the search sees through the encodings each target uses.
    expect(new Set(tree.carriers.map((c) => c.split('/')[2]))).toEqual(new Set(['cp-1', 'worker-1', 'worker-2']));
    expect(tree.carriers).toContain('lab/nodes/cp-1/config.ign');
    expectPrivateModes(out, tree.carriers);
    expect(checkRuns(runs, [token])).toEqual([]);
    expectRootOnlyKubeconfigOnNodes(out);
  });

  describe('with a client certificate instead of a token', () => {
    let pki: ThrowawayPki;
    beforeAll(() => {
      pki = makeThrowawayPki('flannel-client');
    });
    afterAll(() => pki.cleanup());

    it('keeps the client key to the intended node outputs and off every log', async () => {
      const dir = exampleProject({
        'cluster.yaml': replaceOnce('    token: { file: secrets/flannel.token }', '    clientCertificate: { file: secrets/client.crt }\n    clientKey: { file: secrets/client.key }'),
      });
      writeFileSync(join(dir, 'secrets/client.crt'), pki.clientCertPem);
      writeFileSync(join(dir, 'secrets/client.key'), pki.clientKeyPem, { mode: 0o600 });
      const keyBody = pki.clientKeyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
      const secrets = [pki.clientKeyPem, ...keyBody];
      const { out, runs } = await buildAndReport(dir);
      expect(runs.build?.stderr).not.toMatch(/: error /);
      expect(runs.build?.status).toBe(0);

      const tree = checkTree(out, secrets);
      expect(tree.leaks).toEqual([]);
      expect(new Set(tree.carriers.map((c) => c.split('/')[2]))).toEqual(new Set(['cp-1', 'worker-1', 'worker-2']));
      expectPrivateModes(out, tree.carriers);
      expect(checkRuns(runs, secrets)).toEqual([]);
    });
  });

  it('finds a planted leak (the detector is not blind)', () => {
    const token = 'FAKE-planted-token.for-the-detector-0000';
    const kubeconfig = `users:\n- user:\n    token: ${token}\n`;
    const ign = JSON.stringify({ source: `data:;base64,${Buffer.from(kubeconfig).toString('base64')}` });
    const gz = JSON.stringify({ source: `data:;base64,${gzipSync(Buffer.from(kubeconfig)).toString('base64')}`, compression: 'gzip' });
    expect(holds(Buffer.from(ign), [token])).toBe(true);
    expect(holds(Buffer.from(gz), [token])).toBe(true);
    expect(holds(Buffer.from(`x${encodeURIComponent(kubeconfig)}`), [token])).toBe(true);
    expect(holds(Buffer.from('{"ok":true}'), [token])).toBe(false);
  });
});
