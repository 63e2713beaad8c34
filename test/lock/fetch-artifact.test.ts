import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactFetchError, fetchArtifact } from '../../src/lock/fetch-artifact.ts';
import type { FetchArtifactOptions, FetchProgress, FetchRetry } from '../../src/lock/fetch-artifact.ts';
import { fetchTrusting, selfSignedCertificate, sendBytes, sendTruncated, startLocalServer, testBytes } from './local-server.ts';
import type { LocalServer } from './local-server.ts';

let server: LocalServer;
let dir: string;
/** The local server speaks plain http, which a download must allow explicitly (as a mirror marked allowHttp does). */
const noWait: FetchArtifactOptions = { sleep: async () => {}, backoffMs: 10, allowHttp: true };

/** The digest coreutils computes for the same bytes: an oracle independent of kindling. */
function coreutilsDigest(tool: 'sha256sum' | 'sha512sum', bytes: Buffer): string {
  const file = join(dir, `${tool}.bin`);
  writeFileSync(file, bytes);
  return execFileSync(tool, [file], { encoding: 'utf8' }).split(' ')[0] ?? '';
}

async function failure(promise: Promise<unknown>): Promise<ArtifactFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ArtifactFetchError) return error;
    throw error;
  }
  throw new Error('expected the download to fail');
}

beforeAll(async () => {
  server = await startLocalServer();
  dir = mkdtempSync(join(tmpdir(), 'kindling-fetch-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fetchArtifact', () => {
  it('pins a download with the size and the hashes coreutils computes', async () => {
    const body = testBytes(3 * 1024 * 1024 + 17);
    server.route('/flanneld-amd64', (_req, res) => sendBytes(res, body));
    const result = await fetchArtifact(`${server.base}/flanneld-amd64`, noWait);
    expect(result.size).toBe(body.length);
    expect(result.sha256).toBe(coreutilsDigest('sha256sum', body));
    expect(result.sha512).toBe(coreutilsDigest('sha512sum', body));
    expect(result.attempts).toBe(1);
    expect(result.body).toBeUndefined();
  });

  it('hashes a chunked body that has no Content-Length', async () => {
    const body = testBytes(200_000, 7);
    server.route('/chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(body.subarray(0, 1000));
      setTimeout(() => res.end(body.subarray(1000)), 10);
    });
    const result = await fetchArtifact(`${server.base}/chunked`, { ...noWait, keepBody: true });
    expect(result.sha256).toBe(coreutilsDigest('sha256sum', body));
    expect(result.body?.equals(body)).toBe(true);
  });

  it('fails on a 404 at once, without retrying', async () => {
    const error = await failure(fetchArtifact(`${server.base}/missing-asset`, { ...noWait, retries: 3 }));
    expect(error.failure).toBe('not-found');
    expect(error.status).toBe(404);
    expect(error.attempts).toBe(1);
    expect(server.hits('/missing-asset')).toBe(1);
  });

  it('does not retry other client errors such as 403', async () => {
    server.route('/forbidden', (_req, res) => sendBytes(res, Buffer.from('no\n'), 403));
    const error = await failure(fetchArtifact(`${server.base}/forbidden`, { ...noWait, retries: 3 }));
    expect(error).toMatchObject({ failure: 'http-status', status: 403, attempts: 1 });
  });

  it('follows redirects and reports the final URL', async () => {
    const body = testBytes(4096, 3);
    server.route('/releases/download/v1/asset', (_req, res) => {
      res.writeHead(302, { location: '/objects/asset-blob' });
      res.end();
    });
    server.route('/objects/asset-blob', (_req, res) => sendBytes(res, body));
    const result = await fetchArtifact(`${server.base}/releases/download/v1/asset`, noWait);
    expect(result.url).toBe(`${server.base}/releases/download/v1/asset`);
    expect(result.finalUrl).toBe(`${server.base}/objects/asset-blob`);
    expect(result.sha256).toBe(coreutilsDigest('sha256sum', body));
  });

  it('detects a truncated body and gives up after the retries', async () => {
    const body = testBytes(100_000, 11);
    server.route('/always-truncated', (_req, res) => sendTruncated(res, body, 40_000));
    const error = await failure(fetchArtifact(`${server.base}/always-truncated`, { ...noWait, retries: 2 }));
    expect(error.failure).toBe('truncated');
    expect(error.message).toMatch(/of 100000 bytes/);
    expect(error.attempts).toBe(3);
    expect(server.hits('/always-truncated')).toBe(3);
  });

  it('detects a short body even from a transport that does not raise an error', async () => {
    // An injected fetch (a proxy client, a cache) may end the stream quietly; the length check still holds.
    let calls = 0;
    const quietFetch: typeof fetch = async () => {
      calls++;
      return new Response(testBytes(600), { status: 200, headers: { 'content-length': '1000' } });
    };
    const error = await failure(fetchArtifact('https://example.invalid/asset', { ...noWait, retries: 1, fetch: quietFetch }));
    expect(error.failure).toBe('truncated');
    expect(error.message).toMatch(/600 of 1000 bytes/);
    expect(calls).toBe(2);
  });

  it('retries a truncated body and pins the complete one', async () => {
    const body = testBytes(100_000, 13);
    server.route('/truncated-once', (_req, res, hit) => (hit === 1 ? sendTruncated(res, body, 5_000) : sendBytes(res, body)));
    const result = await fetchArtifact(`${server.base}/truncated-once`, noWait);
    expect(result.attempts).toBe(2);
    expect(result.size).toBe(body.length);
    expect(result.sha512).toBe(coreutilsDigest('sha512sum', body));
  });

  it('retries 503 with exponential backoff, then succeeds', async () => {
    const body = testBytes(1000, 17);
    server.route('/flaky', (_req, res, hit) => (hit <= 2 ? sendBytes(res, Buffer.from('busy\n'), 503) : sendBytes(res, body)));
    const retries: FetchRetry[] = [];
    const slept: number[] = [];
    const result = await fetchArtifact(`${server.base}/flaky`, {
      allowHttp: true,
      backoffMs: 100,
      sleep: async (ms) => {
        slept.push(ms);
      },
      onRetry: (r) => retries.push(r),
    });
    expect(result.attempts).toBe(3);
    expect(result.sha256).toBe(coreutilsDigest('sha256sum', body));
    expect(slept).toEqual([100, 200]);
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 100], [2, 200]]);
    expect(retries[0]?.reason).toMatch(/503/);
  });

  it('gives up on a server that keeps answering 500', async () => {
    server.route('/broken', (_req, res) => sendBytes(res, Buffer.from('oops\n'), 500));
    const error = await failure(fetchArtifact(`${server.base}/broken`, { ...noWait, retries: 3 }));
    expect(error).toMatchObject({ failure: 'http-status', status: 500, attempts: 4 });
    expect(server.hits('/broken')).toBe(4);
  });

  it('caps the backoff delay', async () => {
    server.route('/down', (_req, res) => sendBytes(res, Buffer.from('down\n'), 502));
    const slept: number[] = [];
    await failure(
      fetchArtifact(`${server.base}/down`, { allowHttp: true, retries: 4, backoffMs: 100, maxBackoffMs: 300, sleep: async (ms) => void slept.push(ms) }),
    );
    expect(slept).toEqual([100, 200, 300, 300]);
  });

  it('times out an attempt that never answers, and retries it', async () => {
    server.route('/hang', () => {
      /* never answers */
    });
    const error = await failure(fetchArtifact(`${server.base}/hang`, { ...noWait, retries: 1, timeoutMs: 200 }));
    expect(error.failure).toBe('timeout');
    expect(error.attempts).toBe(2);
    expect(server.hits('/hang')).toBe(2);
  });

  it('reports a refused connection as a network failure after retrying', async () => {
    const closed = await startLocalServer();
    const base = closed.base;
    await closed.close();
    const error = await failure(fetchArtifact(`${base}/x`, { ...noWait, retries: 1 }));
    expect(error.failure).toBe('network');
    expect(error.attempts).toBe(2);
    expect(error.message).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('refuses a body over the size limit without retrying', async () => {
    server.route('/huge', (_req, res) => sendBytes(res, testBytes(10_000)));
    const error = await failure(fetchArtifact(`${server.base}/huge`, { ...noWait, maxBytes: 1000 }));
    expect(error).toMatchObject({ failure: 'too-large', attempts: 1 });
  });

  it('reports progress up to the full size', async () => {
    const body = testBytes(500_000, 19);
    server.route('/progress', (_req, res) => sendBytes(res, body));
    const seen: FetchProgress[] = [];
    await fetchArtifact(`${server.base}/progress`, { ...noWait, onProgress: (p) => seen.push(p) });
    expect(seen[0]).toMatchObject({ received: 0, total: body.length, attempt: 1 });
    expect(seen.at(-1)).toMatchObject({ received: body.length, total: body.length });
    const received = seen.map((p) => p.received);
    expect([...received].sort((a, b) => a - b)).toEqual(received);
  });

  it('stops when the caller cancels', async () => {
    server.route('/slow', () => {
      /* never answers */
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(fetchArtifact(`${server.base}/slow`, { allowHttp: true, retries: 5, timeoutMs: 10_000, signal: controller.signal }));
    expect(error.failure).toBe('aborted');
    expect(error.attempts).toBe(1);
  });

  it('stops reading a body that runs past its Content-Length, without retrying', async () => {
    // undici enforces Content-Length itself; an injected transport (a proxy client, a cache) may not.
    let calls = 0;
    const longFetch: typeof fetch = async () => {
      calls++;
      return new Response(testBytes(5000), { status: 200, headers: { 'content-length': '1000' } });
    };
    const error = await failure(fetchArtifact('https://example.invalid/asset', { ...noWait, retries: 2, fetch: longFetch }));
    expect(error).toMatchObject({ failure: 'too-large', attempts: 1 });
    expect(error.message).toBe('https://example.invalid/asset sent more than the 1000 bytes its Content-Length announced');
    expect(calls).toBe(1);
  });

  it('refuses plain http from the first URL unless the download allows it', async () => {
    server.route('/plain', (_req, res) => sendBytes(res, testBytes(100)));
    const error = await failure(fetchArtifact(`${server.base}/plain`, { ...noWait, allowHttp: false, retries: 3 }));
    expect(error).toMatchObject({ failure: 'insecure', attempts: 1 });
    expect(error.message).toBe(`${server.base}/plain uses plain http, and only https is allowed (plain http only from a mirror marked allowHttp: true)`);
    expect(server.hits('/plain')).toBe(0);
  });

  it('stops a redirect loop of relative Locations after 10 redirects, naming the hop, without retrying', async () => {
    server.route('/loop/a', (_req, res) => res.writeHead(302, { location: 'b' }).end());
    server.route('/loop/b', (_req, res) => res.writeHead(301, { location: './a?again' }).end());
    const error = await failure(fetchArtifact(`${server.base}/loop/a`, { ...noWait, retries: 3 }));
    expect(error).toMatchObject({ failure: 'too-many-redirects', attempts: 1 });
    expect(error.message).toBe(`${server.base}/loop/a redirected more than 10 times (hop 11 would be ${server.base}/loop/b)`);
    expect(server.hits('/loop/a') + server.hits('/loop/b')).toBe(11);
  });
});

describe('fetchArtifact over https', () => {
  let secure: LocalServer;
  let trusting: typeof fetch;
  beforeAll(async () => {
    const certificate = selfSignedCertificate();
    secure = await startLocalServer(certificate);
    trusting = fetchTrusting(certificate.cert);
  });
  afterAll(() => secure.close());

  it('refuses an https download that redirects to plain http, naming the hop and the rule, without retrying', async () => {
    const body = testBytes(2048, 23);
    server.route('/downgraded/blob', (_req, res) => sendBytes(res, body));
    secure.route('/release/asset', (_req, res) => res.writeHead(302, { location: '/release/moved' }).end());
    secure.route('/release/moved', (_req, res) => res.writeHead(307, { location: `${server.base}/downgraded/blob` }).end());
    const error = await failure(fetchArtifact(`${secure.base}/release/asset`, { ...noWait, allowHttp: false, retries: 3, fetch: trusting }));
    expect(error).toMatchObject({ failure: 'insecure', attempts: 1 });
    expect(error.message).toBe(
      `${secure.base}/release/asset: redirect hop 2 to ${server.base}/downgraded/blob uses plain http, and only https is allowed (plain http only from a mirror marked allowHttp: true)`,
    );
    expect(server.hits('/downgraded/blob')).toBe(0);

    // The same chain is fine for a download that allows http (a mirror marked allowHttp).
    const allowed = await fetchArtifact(`${secure.base}/release/asset`, { ...noWait, allowHttp: true, fetch: trusting });
    expect(allowed.finalUrl).toBe(`${server.base}/downgraded/blob`);
    expect(allowed.sha256).toBe(coreutilsDigest('sha256sum', body));
  });
});
