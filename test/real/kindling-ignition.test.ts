/**
 * kindling's Ignition output (flatcar and fcos nodes), run by the REAL Ignition 2.14.0 (fetch and
 * files stages into a scratch root, then first-boot preset-all), then first boot simulated by running
 * the oneshot units it enabled in a chroot over Debian. The fixture's mirror is a 127.0.0.1 test
 * server, its hashes pinned from the stand-ins.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChrootSession } from './harness/chroot-session.ts';
import { ensureDebianRoot } from './harness/debootstrap-root.ts';
import { expectCni, expectFile, expectFlanneldUnit, expectKubeconfig, expectNetConf } from './harness/flannel-node-checks.ts';
import type { NodeView } from './harness/flannel-node-checks.ts';
import { startStaticServer } from './harness/http-server.ts';
import type { StaticServer } from './harness/http-server.ts';
import { bootIgnitionRoot, IGNITION_BINARY, runIgnition } from './harness/ignition-root.ts';
import type { IgnitionRun } from './harness/ignition-root.ts';
import {
  builtNodes,
  FIXTURE_NODE_OS,
  FIXTURE_NODE_ROLE,
  FIXTURE_SSH_KEY,
  FIXTURE_USER,
  FIXTURE_WORKER_UNIT,
  FLANNELD_PATH,
  kindlingBuild,
  mirrorFiles,
  writeFixtureProject,
} from './harness/kindling-project.ts';
import type { BuiltNode } from './harness/kindling-project.ts';
import { requireExecutables, requireRoot, run } from './harness/run.ts';
import { flanneldStandIn, makeStandIns } from './harness/stand-ins.ts';
import { findEntry } from './harness/tree-listing.ts';

interface Booted {
  readonly node: BuiltNode;
  readonly os: 'flatcar' | 'fcos';
  readonly config: string;
  readonly ignition: IgnitionRun;
  readonly boot?: ChrootSession;
  readonly view: NodeView;
}

/** The node after first boot: what the units changed, over what Ignition wrote. */
function viewOf(ignition: IgnitionRun, boot: ChrootSession | undefined): NodeView {
  return {
    read: (path) => (boot?.has(path) ? boot.read(path) : ignition.read(path)),
    entry: (path) => (boot ? findEntry(boot.upper, path) : undefined) ?? findEntry(ignition.listing, path),
  };
}

describe('kindling build → real Ignition', () => {
  const work = mkdtempSync(join(tmpdir(), 'kindling-real-ign-'));
  let server: StaticServer;
  let standIns: Awaited<ReturnType<typeof makeStandIns>>;
  const booted: Booted[] = [];
  const wrongHash: { node: BuiltNode; ignition: IgnitionRun }[] = [];

  async function build(name: string, overrides?: { flanneld: string }): Promise<BuiltNode[]> {
    const project = join(work, `${name}-project`);
    const out = join(work, `${name}-out`);
    await writeFixtureProject({ dir: project, mirror: server.baseUrl, standIns, ...(overrides ? { sha512Overrides: overrides } : {}) });
    const result = await kindlingBuild(project, out);
    if (result.code !== 0) throw new Error(`kindling build failed (${result.code}):\n${result.stdout}${result.stderr}`);
    const nodes = builtNodes(out).filter((n) => n.kind === 'ignition');
    if (nodes.length === 0) throw new Error('the fixture project produced no Ignition node');
    return nodes;
  }

  function configOf(node: BuiltNode): string {
    const path = join(node.dir, 'config.ign');
    if (!existsSync(path)) throw new Error(`kindling build wrote no config.ign for ${node.name} (files: ${node.files.join(', ')})`);
    return readFileSync(path, 'utf8');
  }

  beforeAll(async () => {
    requireRoot();
    requireExecutables([IGNITION_BINARY, 'ignition-validate', 'systemctl', 'debootstrap', 'unshare', 'kubectl', 'openssl']);
    await ensureDebianRoot();
    standIns = await makeStandIns();
    server = await startStaticServer(mirrorFiles(standIns));

    for (const node of await build('good')) {
      const os = FIXTURE_NODE_OS[node.name];
      if (os !== 'flatcar' && os !== 'fcos') throw new Error(`unexpected Ignition node ${node.name}`);
      const config = configOf(node);
      const ignition = await runIgnition({ config });
      const boot = ignition.ok ? await bootIgnitionRoot(ignition, { files: mirrorFiles(standIns), port: server.port, notifyUnits: ['flanneld.service'] }) : undefined;
      booted.push({ node, os, config, ignition, ...(boot ? { boot } : {}), view: viewOf(ignition, boot) });
    }
    for (const node of await build('wrong-hash', { flanneld: flanneldStandIn('v0.0.0-not-the-served-one').sha512 })) {
      wrongHash.push({ node, ignition: await runIgnition({ config: configOf(node) }) });
    }
  });
  afterAll(async () => {
    for (const b of booted) {
      b.ignition.cleanup();
      b.boot?.cleanup();
    }
    for (const w of wrongHash) w.ignition.cleanup();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('builds a flatcar and an fcos node whose config.ign ignition-validate accepts without a message', async () => {
    expect(booted.map((b) => b.os).sort()).toEqual(['fcos', 'flatcar']);
    for (const { node, config } of booted) {
      const result = await run('ignition-validate', ['-'], { input: config });
      expect(`${result.stdout}${result.stderr}`, node.name).toBe('');
      expect(result.code, node.name).toBe(0);
    }
  });

  it('runs the fetch and files stages and the first-boot preset successfully', () => {
    for (const { node, ignition } of booted) expect(ignition.ok, `${node.name}\n${ignition.log}`).toBe(true);
  });

  it('enables flanneld.service through the preset', () => {
    for (const { node, ignition } of booted) {
      expect(findEntry(ignition.listing, 'etc/systemd/system/multi-user.target.wants/flanneld.service'), node.name).toMatchObject({
        type: 'symlink',
      });
    }
  });

  it('runs the enabled oneshot units at first boot, and every download came from the mirror', () => {
    for (const { node, boot } of booted) {
      expect(boot, node.name).toBeDefined();
      const failed = boot?.units.filter((u) => !u.ok);
      expect(failed, `${node.name}: ${JSON.stringify(failed, null, 2)}`).toEqual([]);
      expect(boot?.mountsLeftOnHost).toEqual([]);
    }
    expect(server.requests.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('installs flanneld byte-equal to the stand-in at the OS binary path its unit runs', () => {
    for (const { node, os, view } of booted) expectFlanneldUnit(view, node.name, FLANNELD_PATH[os], standIns);
  });

  it('starts flanneld.service from its real unit (env, runtime dir, ExecStart) and gets READY=1 from the main process', () => {
    for (const { node, boot } of booted) {
      expect(boot?.notify[0], node.name).toMatchObject({ unit: 'flanneld.service', readyFromMainPid: true, aliveAfterReady: true });
    }
  });

  it('installs the flannel CNI plugin and the bridge, host-local, portmap and loopback plugins', () => {
    for (const { view } of booted) expectCni(view, standIns);
  });

  it('writes net-conf.json, the conflist and a 0600 kubeconfig that kubectl reads', async () => {
    for (const { view } of booted) {
      expectNetConf(view);
      expectFile(view, '/etc/cni/net.d/10-flannel.conflist', 0o644);
      await expectKubeconfig(view);
    }
  });

  it('creates the profile users with their ssh keys', () => {
    for (const { node, ignition } of booted) {
      expect(ignition.read('/etc/passwd').toString(), node.name).toMatch(new RegExp(`^${FIXTURE_USER}:x:\\d+:\\d+:`, 'm'));
      const keys = [`/home/${FIXTURE_USER}/.ssh/authorized_keys.d/ignition`, `/home/${FIXTURE_USER}/.ssh/authorized_keys`].filter((p) => ignition.exists(p));
      expect(keys, node.name).not.toEqual([]);
      for (const path of keys) expect(ignition.read(path).toString()).toContain(FIXTURE_SSH_KEY);
    }
  });

  it("carries the role's file and runs the role's own oneshot unit", () => {
    for (const { node, view, boot } of booted) {
      const role = FIXTURE_NODE_ROLE[node.name];
      expectFile(view, '/etc/kindling/role', 0o644);
      expect(view.read('/etc/kindling/role').toString().trim(), node.name).toBe(role);
      if (role === 'worker') expect(boot?.units.find((u) => u.unit === FIXTURE_WORKER_UNIT)?.ok, node.name).toBe(true);
    }
  });

  it('fails the files stage visibly, and writes no flanneld, when the pinned hash does not match', () => {
    expect(wrongHash.length).toBe(2);
    for (const { node, ignition } of wrongHash) {
      const os = FIXTURE_NODE_OS[node.name] as 'flatcar' | 'fcos';
      expect(ignition.ok, node.name).toBe(false);
      expect(ignition.log, node.name).toContain('hash verification failed');
      expect(ignition.exists(FLANNELD_PATH[os]), node.name).toBe(false);
    }
  });
});
