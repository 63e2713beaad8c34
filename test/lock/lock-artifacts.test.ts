import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockArtifacts } from '../../src/lock/lock-artifacts.ts';
import type { LockTarget } from '../../src/lock/collect-targets.ts';
import { parseLockfile, serializeLockfile } from '../../src/lock/lockfile.ts';
import { createProgressReporter } from '../../src/lock/progress.ts';
import { sendBytes, startLocalServer, testBytes } from './local-server.ts';
import type { LocalServer } from './local-server.ts';

let server: LocalServer;
// The local server speaks plain http, which a download must allow explicitly.
const fetchOptions = { sleep: async () => {}, backoffMs: 1, retries: 1, allowHttp: true };
const v1 = testBytes(10_000, 41);
const v2 = testBytes(10_000, 43);
let flanneldBody = v1;
const hex = (algorithm: string, body: Buffer): string => createHash(algorithm).update(body).digest('hex');
const target = (url: string, more: Partial<LockTarget> = {}): LockTarget => ({ url, what: url, viaMirror: false, ...more });

beforeAll(async () => {
  server = await startLocalServer();
  server.route('/v0.28.9/flanneld-amd64', (_req, res) => sendBytes(res, flanneldBody));
  server.route('/v1.9.1/cni.tgz', (_req, res) => sendBytes(res, v2));
  server.route('/v1.9.1/cni.tgz.sha256', (_req, res) => sendBytes(res, Buffer.from(`${hex('sha256', v2)}  cni.tgz\n`)));
  server.route('/bad/cni.tgz', (_req, res) => sendBytes(res, v2));
  server.route('/bad/cni.tgz.sha256', (_req, res) => sendBytes(res, Buffer.from(`${hex('sha256', v1)}  cni.tgz\n`)));
});
afterAll(() => server.close());

describe('lockArtifacts', () => {
  it('pins every target, reports each on the progress stream, and diffs against nothing', async () => {
    const lines: string[] = [];
    const reporter = createProgressReporter({ stream: { isTTY: false, write: (s: string) => lines.push(s) }, env: {} });
    const flanneld = `${server.base}/v0.28.9/flanneld-amd64`;
    const cni = `${server.base}/v1.9.1/cni.tgz`;
    const result = await lockArtifacts([target(flanneld), target(cni, { checksumUrls: { sha256: `${cni}.sha256` } }), target(flanneld)], {
      reporter,
      fetchOptions,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.lockfile.artifacts.map((e) => [e.url, e.sha512])).toEqual([
      [flanneld, hex('sha512', v1)],
      [cni, hex('sha512', v2)],
    ]);
    expect(result.diff.added).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('pinned '))).toHaveLength(2);
  });

  it('downloads nothing already pinned, reports drift when checking (naming --update), and accepts it when updating', async () => {
    const flanneld = `${server.base}/v0.28.9/flanneld-amd64`;
    flanneldBody = v1;
    const first = await lockArtifacts([target(flanneld)], { fetchOptions });
    const committed = parseLockfile(serializeLockfile(first.lockfile)).lockfile ?? { artifacts: [] };
    flanneldBody = v2;
    try {
      const hits = server.hits('/v0.28.9/flanneld-amd64');
      const rerun = await lockArtifacts([target(flanneld)], { previous: committed, fetchOptions });
      expect(server.hits('/v0.28.9/flanneld-amd64')).toBe(hits);
      expect(rerun.kept).toEqual([flanneld]);
      expect(rerun.lockfile).toEqual(committed);

      const checked = await lockArtifacts([target(flanneld)], { previous: committed, fetchOptions, mode: 'check' });
      expect(checked.diagnostics.map((d) => d.code)).toEqual(['artifact/invalid-hash']);
      expect(checked.diagnostics[0]?.message).toContain(`sha256 ${hex('sha256', v1)} → ${hex('sha256', v2)}`);
      expect(checked.diagnostics[0]?.hint).toContain('`kindling lock --update`');
      expect(checked.lockfile).toEqual(committed);

      const updated = await lockArtifacts([target(flanneld)], { previous: committed, fetchOptions, mode: 'update' });
      expect(updated.diagnostics).toEqual([]);
      expect(updated.diff.changed.map((c) => c.after.sha256)).toEqual([hex('sha256', v2)]);
    } finally {
      flanneldBody = v1;
    }
  });

  it('keeps the previous pin of an artifact that failed, and reports every failure', async () => {
    const flanneld = `${server.base}/v0.28.9/flanneld-amd64`;
    const gone = `${server.base}/v9.9.9/flanneld-amd64`;
    const bad = `${server.base}/bad/cni.tgz`;
    const previous = { artifacts: [{ url: gone, sha256: 'a'.repeat(64), sha512: 'b'.repeat(128), size: 3 }] };
    const result = await lockArtifacts([target(gone), target(bad, { checksumUrls: { sha256: `${bad}.sha256` } }), target(flanneld)], {
      previous,
      fetchOptions,
      mode: 'update',
    });
    expect(result.unpinned).toEqual([bad, gone]);
    expect(result.lockfile.artifacts.map((e) => e.url)).toEqual([bad, flanneld, gone].filter((u) => u !== bad).sort());
    expect(result.diff.removed).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['artifact/invalid-hash', 'io/unreadable']);
    expect(result.diagnostics[1]?.hint).toMatch(/does not exist/);
  });
});
