/**
 * kindling's cloud-init output, run by REAL cloud-init 22.4 (four stages, chroot over Debian
 * bookworm), then first boot simulated by running the oneshot units it enabled (fetch, CNI install).
 * The fixture project's mirror is the in-namespace test server, its hashes pinned from the stand-ins.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE_PORT, runCloudInit } from './harness/cloud-init-chroot.ts';
import type { CloudInitRun } from './harness/cloud-init-chroot.ts';
import { ensureDebianRoot } from './harness/debootstrap-root.ts';
import {
  builtNodes,
  FIXTURE_NODE_ROLE,
  FIXTURE_SSH_KEY,
  FIXTURE_USER,
  FIXTURE_WORKER_UNIT,
  kindlingBuild,
  mirrorFiles,
  writeFixtureProject,
} from './harness/kindling-project.ts';
import type { BuiltNode } from './harness/kindling-project.ts';
import { expectCni, expectFile, expectFlanneldUnit, expectKubeconfig, expectNetConf } from './harness/flannel-node-checks.ts';
import type { NodeView } from './harness/flannel-node-checks.ts';
import { makeStandIns, flanneldStandIn } from './harness/stand-ins.ts';
import { findEntry, formatListing, octal } from './harness/tree-listing.ts';
import { readFileSync } from 'node:fs';
import { requireExecutables, requireRoot, run } from './harness/run.ts';
import { parseUnit, unitList } from './harness/unit-file.ts';

const MIRROR = `http://127.0.0.1:${DEFAULT_NAMESPACE_PORT}`;

interface Booted {
  readonly node: BuiltNode;
  readonly userData: string;
  readonly run: CloudInitRun;
  readonly view: NodeView;
}

function viewOf(result: CloudInitRun): NodeView {
  return { read: (path) => result.read(path), entry: (path) => findEntry(result.upper, path) };
}

describe('kindling build → real cloud-init', () => {
  const work = mkdtempSync(join(tmpdir(), 'kindling-real-ci-'));
  let standIns: Awaited<ReturnType<typeof makeStandIns>>;
  const booted: Booted[] = [];
  let wrongHash: { node: BuiltNode; run: CloudInitRun } | undefined;

  async function buildAndBoot(name: string, overrides?: { flanneld: string }): Promise<Booted[]> {
    const project = join(work, `${name}-project`);
    const out = join(work, `${name}-out`);
    await writeFixtureProject({ dir: project, mirror: MIRROR, standIns, ...(overrides ? { sha512Overrides: overrides } : {}) });
    const build = await kindlingBuild(project, out);
    if (build.code !== 0) throw new Error(`kindling build failed (${build.code}):\n${build.stdout}${build.stderr}`);
    const nodes = builtNodes(out).filter((n) => n.kind === 'cloud-init');
    if (nodes.length === 0) throw new Error('the fixture project produced no cloud-init node');
    const results: Booted[] = [];
    for (const node of nodes) {
      const userData = readFileSync(join(node.dir, 'user-data'), 'utf8');
      const metaData = readFileSync(join(node.dir, 'meta-data'), 'utf8');
      const result = await runCloudInit({ userData, metaData, files: mirrorFiles(standIns), startUnits: 'enabled-oneshots', notifyUnits: overrides ? [] : ['flanneld.service'] });
      results.push({ node, userData, run: result, view: viewOf(result) });
    }
    return results;
  }

  beforeAll(async () => {
    requireRoot();
    requireExecutables(['cloud-init', 'debootstrap', 'unshare', 'kubectl', 'openssl']);
    await ensureDebianRoot();
    standIns = await makeStandIns();
    booted.push(...(await buildAndBoot('good')));
    const [bad] = await buildAndBoot('wrong-hash', { flanneld: flanneldStandIn('v0.0.0-not-the-served-one').sha512 });
    if (bad) wrongHash = { node: bad.node, run: bad.run };
  });
  afterAll(() => {
    for (const b of booted) b.run.cleanup();
    wrongHash?.run.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes user-data that cloud-init schema accepts', async () => {
    for (const { node, userData } of booted) {
      const file = join(work, `${node.name}.user-data`);
      writeFileSync(file, userData);
      const result = await run('cloud-init', ['schema', '--config-file', file]);
      expect(result.stderr, node.name).toBe('');
      expect(result.code, node.name).toBe(0);
      expect(result.stdout).toContain('Valid cloud-config');
    }
  });

  it('runs all four cloud-init stages with no error', () => {
    for (const { node, run: r } of booted) {
      expect(r.codes, `${node.name}\n${r.log}`).toEqual([0, 0, 0, 0]);
      expect(r.errors, `${node.name}\n${r.log}`).toEqual([]);
      expect(r.statusLong?.stdout, node.name).toMatch(/status: done/);
      expect(r.mountsLeftOnHost).toEqual([]);
    }
  });

  it('makes cloud-init log no warning beyond the ssh host keys the minimal root cannot generate', () => {
    for (const { node, run: r } of booted) {
      const warnings = r
        .read('/var/log/cloud-init.log')
        .toString()
        .split('\n')
        .filter((line) => /\[(WARNING|ERROR|CRITICAL)\]/.test(line))
        // openssh is not in the debootstrap root, so cc_ssh cannot make host keys: the harness's doing.
        .filter((line) => !/Failed generating key type \w+ to file \/etc\/ssh\/ssh_host_/.test(line));
      expect(warnings, node.name).toEqual([]);
    }
  });

  it('enables flanneld.service and the units it needs', () => {
    for (const { node, run: r } of booted) {
      const enabled = r.wants.filter((w) => w.dir === 'multi-user.target.wants').map((w) => w.name);
      expect(enabled, node.name).toEqual(expect.arrayContaining(['flanneld.service']));
      const link = r.wants.find((w) => w.name === 'flanneld.service');
      expect(link?.target).toBe('/etc/systemd/system/flanneld.service');
    }
  });

  it('fetches every artifact from the mirror at first boot, hash-checked, and installs the CNI plugins', () => {
    for (const { node, run: r } of booted) {
      const failed = r.units.filter((u) => !u.ok);
      expect(failed, `${node.name}: ${JSON.stringify(failed, null, 2)}`).toEqual([]);
      expect(r.units.length, node.name).toBeGreaterThan(0);
      expect(r.requests.filter((q) => q.status !== 200), node.name).toEqual([]);
      expectCni(viewOf(r), standIns);
      expect(r.upper.filter((e) => e.path.endsWith('.part')), 'no partial downloads left').toEqual([]);
    }
  });

  it('installs flanneld byte-equal to the stand-in, where its unit runs it from', () => {
    for (const { node, view } of booted) expectFlanneldUnit(view, node.name, '/usr/local/bin/flanneld', standIns);
  });

  it('starts flanneld.service from its real unit (env, runtime dir, ExecStart) and gets READY=1 from the main process', () => {
    for (const { node, run: r } of booted) {
      const [flanneld] = r.notify;
      expect(flanneld, node.name).toMatchObject({ unit: 'flanneld.service', readyFromMainPid: true, aliveAfterReady: true });
    }
  });

  it('writes net-conf.json, the conflist and a 0600 kubeconfig that kubectl reads', async () => {
    for (const { view } of booted) {
      expectNetConf(view);
      expectFile(view, '/etc/cni/net.d/10-flannel.conflist', 0o644);
      await expectKubeconfig(view);
    }
  });

  it('creates the profile users with their ssh keys', () => {
    for (const { node, run: r } of booted) {
      const line = r.read('/etc/passwd').toString().split('\n').find((l) => l.startsWith(`${FIXTURE_USER}:`));
      expect(line, node.name).toBeDefined();
      const [, , uid, gid, , home] = line?.split(':') ?? [];
      const keys = findEntry(r.upper, `${home?.slice(1)}/.ssh/authorized_keys`);
      expect(keys, formatListing(r.upper)).toMatchObject({ type: 'file', uid: Number(uid), gid: Number(gid) });
      expect(octal(keys?.mode ?? 0)).toBe('0600');
      expect(r.read(`${home}/.ssh/authorized_keys`).toString()).toContain(FIXTURE_SSH_KEY);
    }
  });

  it("carries the role's file and runs the role's own oneshot unit", () => {
    for (const { node, run: r, view } of booted) {
      const role = FIXTURE_NODE_ROLE[node.name];
      expectFile(view, '/etc/kindling/role', 0o644);
      expect(r.read('/etc/kindling/role').toString().trim(), node.name).toBe(role);
      if (role === 'worker') expect(r.units.find((u) => u.unit === FIXTURE_WORKER_UNIT)?.ok, node.name).toBe(true);
    }
  });

  it('fails the fetch visibly, and installs no flanneld, when a pinned hash does not match', () => {
    expect(wrongHash, 'the wrong-hash build produced a cloud-init node').toBeDefined();
    const r = wrongHash?.run;
    const fetch = r?.units.find((u) => !u.ok);
    expect(fetch, JSON.stringify(r?.units, null, 2)).toBeDefined();
    expect(fetch?.commands.map((c) => c.stderr).join('\n')).toMatch(/sha512/i);
    expect(r?.has('/usr/local/bin/flanneld')).toBe(false);
    expect(r?.upper.filter((e) => e.path.endsWith('.part'))).toEqual([]);
    // systemd then refuses to start flanneld: its unit (with drop-ins) requires the failed one.
    const fragments = (r?.upper ?? [])
      .filter((e) => e.type === 'file' && /^etc\/systemd\/system\/flanneld\.service(\.d\/[^/]+\.conf)?$/.test(e.path))
      .map((e) => r?.read(`/${e.path}`).toString() ?? '');
    const flanneld = parseUnit('flanneld.service', fragments);
    expect(unitList(flanneld, 'Unit', 'Requires')).toContain(fetch?.unit);
    expect(unitList(flanneld, 'Unit', 'After')).toContain(fetch?.unit);
  });
});
