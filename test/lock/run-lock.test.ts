/** The lock run as a library call: what it pins, what it reports, and when it leaves the lock file alone. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLockRequest, runLockRequest } from '../../src/lock/run-lock.ts';
import type { LockEvent } from '../../src/lock/lock-artifacts.ts';
import type { LockRequest } from '../../src/lock/run-lock.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { testBytes } from './local-server.ts';

const GH = 'https://github.com';
const FLANNELD = `${GH}/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64`;
const CNI_PLUGIN = `${GH}/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-amd64`;
const CNI_PLUGINS = `${GH}/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz`;

/** Serves `body` for flanneld and fails everything else, so a test sees exactly what crossed the transport. */
function servingFlanneld(body: Uint8Array, asked: string[] = []): typeof fetch {
  return (async (input: string | URL | Request) => {
    asked.push(String(input));
    if (String(input) !== FLANNELD) return new Response(null, { status: 404 });
    return new Response(body, { status: 200, headers: { 'content-length': String(body.length) } });
  }) as typeof fetch;
}

/** The CNI artifacts from local copies, so only flanneld is downloaded. */
function localCni(): Map<string, string> {
  const dir = tempDir();
  writeFileSync(join(dir, 'plugin'), testBytes(3_000, 2));
  writeFileSync(join(dir, 'plugins.tgz'), testBytes(5_000, 3));
  return new Map([
    [CNI_PLUGIN, join(dir, 'plugin')],
    [CNI_PLUGINS, join(dir, 'plugins.tgz')],
  ]);
}

function request(dir: string): LockRequest {
  const loaded = loadLockRequest(dir);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.request!;
}

describe('loadLockRequest', () => {
  it('lists the artifacts the nodes download and puts the lock file beside the cluster file', () => {
    const dir = exampleProject();
    const loaded = loadLockRequest(dir);
    expect(loaded.request?.targets.map((t) => t.url)).toEqual([CNI_PLUGINS, CNI_PLUGIN, FLANNELD]);
    expect(loaded.request?.lockfilePath).toBe(join(dir, 'kindling.lock'));
    expect(loaded.request?.partial).toBe(false);
  });

  it('collects for the arches asked for and marks the request partial', () => {
    const loaded = loadLockRequest(exampleProject(), { arches: ['arm64'] });
    expect(loaded.request?.targets.map((t) => t.url)).toEqual([CNI_PLUGINS.replace(/amd64/g, 'arm64'), CNI_PLUGIN.replace('amd64', 'arm64'), FLANNELD.replace('amd64', 'arm64')]);
    expect(loaded.request?.partial).toBe(true);
  });

  it('returns the located profile errors and no request for an invalid profile', () => {
    const loaded = loadLockRequest(exampleProject({ 'nodes/nodes.yaml': replaceOnce('name: cp-1', 'name: CP-1') }));
    expect(loaded.request).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.code)).toContain('node/invalid-name');
  });
});

describe('runLockRequest', () => {
  it('pins every artifact, writes the lock file and reports the local copies it used as events', async () => {
    const dir = exampleProject();
    const asked: string[] = [];
    const events: LockEvent[] = [];
    const fromFiles = localCni();
    const result = await runLockRequest(request(dir), { mode: 'write', fromFiles, fetch: servingFlanneld(testBytes(4_000, 1), asked), retries: 0, onEvent: (e) => events.push(e) });
    expect(result.status).toBe('written');
    expect(result.diagnostics).toEqual([]);
    expect(asked).toEqual([FLANNELD]);
    expect(events).toEqual([
      { kind: 'pinned-from-file', url: CNI_PLUGINS, file: fromFiles.get(CNI_PLUGINS), option: '--from-file' },
      { kind: 'pinned-from-file', url: CNI_PLUGIN, file: fromFiles.get(CNI_PLUGIN), option: '--from-file' },
    ]);
    expect(result.lockfile?.artifacts.map((e) => [e.url, e.size])).toEqual([
      [CNI_PLUGINS, 5_000],
      [CNI_PLUGIN, 3_000],
      [FLANNELD, 4_000],
    ]);
    expect(result.diff?.added).toHaveLength(3);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(true);

    const again = await runLockRequest(request(dir), { mode: 'write', fromFiles, fetch: servingFlanneld(testBytes(4_000, 1)), retries: 0 });
    expect(again.status).toBe('up-to-date');
    expect(again.diff?.unchanged).toBe(3);
  });

  it('reads no bytes for what is pinned, finds drift in check mode, leaving the lock file byte for byte, and accepts it with update', async () => {
    const dir = exampleProject();
    const fromFiles = localCni();
    await runLockRequest(request(dir), { mode: 'write', fromFiles, fetch: servingFlanneld(testBytes(4_000, 1)), retries: 0 });
    const before = readFileSync(join(dir, 'kindling.lock'), 'utf8');

    const asked: string[] = [];
    const rerun = await runLockRequest(request(dir), { mode: 'write', fetch: servingFlanneld(testBytes(4_000, 9), asked), retries: 0 });
    expect(rerun.status).toBe('up-to-date');
    expect(rerun.kept).toEqual([CNI_PLUGINS, CNI_PLUGIN, FLANNELD]);
    expect(asked).toEqual([]);

    const refused = await runLockRequest(request(dir), { mode: 'check', fromFiles, fetch: servingFlanneld(testBytes(4_000, 9)), retries: 0 });
    expect(refused.status).toBe('checked');
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['artifact/invalid-hash']);
    expect(refused.diagnostics[0]?.message).toContain(`${FLANNELD} changed since it was pinned`);
    expect(refused.unpinned).toEqual([]);
    expect(readFileSync(join(dir, 'kindling.lock'), 'utf8')).toBe(before);

    const accepted = await runLockRequest(request(dir), { mode: 'update', fromFiles, fetch: servingFlanneld(testBytes(4_000, 9)), retries: 0 });
    expect(accepted.status).toBe('written');
    expect(accepted.diff?.changed.map((c) => c.url)).toEqual([FLANNELD]);
    expect(readFileSync(join(dir, 'kindling.lock'), 'utf8')).not.toBe(before);
  });

  it('names the artifacts it could not pin and writes nothing when a download fails', async () => {
    const failing = (async () => new Response(null, { status: 404 })) as unknown as typeof fetch;
    const other = exampleProject();
    const failed = await runLockRequest(request(other), { mode: 'write', fromFiles: localCni(), fetch: failing, retries: 0, backoffMs: 0 });
    expect(failed.status).toBe('not-changed');
    expect(failed.unpinned).toEqual([FLANNELD]);
    expect(failed.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(existsSync(join(other, 'kindling.lock'))).toBe(false);
  });

  it('in check mode verifies the pins, reports a missing pin as an error and never writes', async () => {
    const dir = exampleProject();
    const fromFiles = localCni();
    const missing = await runLockRequest(request(dir), { mode: 'check', fromFiles, fetch: servingFlanneld(testBytes(4_000, 1)), retries: 0 });
    expect(missing.status).toBe('checked');
    expect(missing.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['artifact/unpinned', expect.stringContaining(`${CNI_PLUGINS} is not pinned in `)],
      ['artifact/unpinned', expect.stringContaining(`${CNI_PLUGIN} is not pinned in `)],
      ['artifact/unpinned', expect.stringContaining(`${FLANNELD} is not pinned in `)],
    ]);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);

    await runLockRequest(request(dir), { mode: 'write', fromFiles, fetch: servingFlanneld(testBytes(4_000, 1)), retries: 0 });
    const verified = await runLockRequest(request(dir), { mode: 'check', fromFiles, fetch: servingFlanneld(testBytes(4_000, 1)), retries: 0 });
    expect(verified.status).toBe('checked');
    expect(verified.diagnostics).toEqual([]);
    expect(verified.diff?.unchanged).toBe(3);
  });
});
