import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftDiagnostics, lockArtifacts, lockFailureDiagnostic } from '../../src/lock/lock-artifacts.ts';
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
    const result = await lockArtifacts([{ url: flanneld }, { url: cni, checksumUrls: { sha256: `${cni}.sha256` } }, { url: flanneld }], {
      reporter,
      fetchOptions,
    });
    expect(result.failures).toEqual([]);
    expect(result.lockfile.artifacts.map((e) => [e.url, e.sha512])).toEqual([
      [flanneld, hex('sha512', v1)],
      [cni, hex('sha512', v2)],
    ]);
    expect(result.diff.added).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('pinned '))).toHaveLength(2);
  });

  it('detects drift when an asset changes under the same URL', async () => {
    const flanneld = `${server.base}/v0.28.9/flanneld-amd64`;
    flanneldBody = v1;
    const first = await lockArtifacts([{ url: flanneld }], { fetchOptions });
    const committed = parseLockfile(serializeLockfile(first.lockfile)).lockfile ?? { artifacts: [] };
    flanneldBody = v2;
    try {
      const second = await lockArtifacts([{ url: flanneld }], { previous: committed, fetchOptions });
      expect(second.diff.changed).toHaveLength(1);
      expect(second.diff.changed[0]?.after.sha256).toBe(hex('sha256', v2));
      const diagnostics = driftDiagnostics(second.diff);
      expect(diagnostics.map((d) => d.code)).toEqual(['artifact/invalid-hash']);
      expect(diagnostics[0]?.message).toContain(hex('sha256', v1));
    } finally {
      flanneldBody = v1;
    }
  });

  it('keeps the previous pin of an artifact that failed, and reports every failure', async () => {
    const flanneld = `${server.base}/v0.28.9/flanneld-amd64`;
    const gone = `${server.base}/v9.9.9/flanneld-amd64`;
    const bad = `${server.base}/bad/cni.tgz`;
    const previous = { artifacts: [{ url: gone, sha256: 'a'.repeat(64), sha512: 'b'.repeat(128), size: 3 }] };
    const result = await lockArtifacts([{ url: gone }, { url: bad, checksumUrls: { sha256: `${bad}.sha256` } }, { url: flanneld }], {
      previous,
      fetchOptions,
    });
    expect(result.failures.map((f) => f.url)).toEqual([bad, gone]);
    expect(result.lockfile.artifacts.map((e) => e.url)).toEqual([bad, flanneld, gone].filter((u) => u !== bad).sort());
    expect(result.diff.removed).toEqual([]);
    expect(result.failures.map((f) => lockFailureDiagnostic(f).code)).toEqual(['artifact/invalid-hash', 'io/unreadable']);
    expect(lockFailureDiagnostic(result.failures[1]!).hint).toMatch(/does not exist/);
  });
});
