/**
 * `kindling lock` behind a proxy, as a real process reads its environment: HTTPS_PROXY for https
 * downloads (a CONNECT tunnel), HTTP_PROXY for plain-http ones, the lower-case forms too, and
 * NO_PROXY for hosts that are reached directly.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { startLocalProxy } from '../lock/local-proxy.ts';
import type { LocalProxy } from '../lock/local-proxy.ts';
import { selfSignedCertificate, sendBytes, startLocalServer, testBytes } from '../lock/local-server.ts';
import type { LocalServer } from '../lock/local-server.ts';

const GH = 'https://github.com';
const ARTIFACTS = [
  `${GH}/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64`,
  `${GH}/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-amd64`,
  `${GH}/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz`,
];
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

let plain: LocalServer;
let secure: LocalServer;
let proxy: LocalProxy;
let caFile: string;

beforeAll(async () => {
  const certificate = selfSignedCertificate();
  caFile = join(tempDir(), 'ca.pem');
  writeFileSync(caFile, certificate.cert);
  [plain, secure, proxy] = await Promise.all([startLocalServer(), startLocalServer(certificate), startLocalProxy()]);
  ARTIFACTS.forEach((url, index) => {
    const body = testBytes(20_000 + index, index + 1);
    const name = url.split('/').at(-1)!;
    for (const server of [plain, secure]) {
      server.route(new URL(url).pathname, (_req, res) => sendBytes(res, body));
      for (const algorithm of ['sha256', 'sha512'] as const) {
        server.route(`${new URL(url).pathname}.${algorithm}`, (_req, res) => sendBytes(res, Buffer.from(`${createHash(algorithm).update(body).digest('hex')}  ${name}\n`)));
      }
    }
  });
});
afterAll(async () => {
  await Promise.all([plain.close(), secure.close(), proxy.close()]);
});

/** `kindling lock` as a process with exactly these proxy variables (none inherited). */
async function lockProcess(dir: string, proxyEnv: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_EXTRA_CA_CERTS: caFile, ...proxyEnv };
  for (const name of PROXY_VARIABLES) if (!(name in proxyEnv)) delete env[name];
  return promisify(execFile)(process.execPath, [join(REPO, 'bin/kindling.js'), 'lock', dir, '--retries', '0'], { env, timeout: 60_000 }).then(
    (done) => ({ status: 0, stderr: done.stderr }),
    (failed: { code: number | null; stderr: string }) => ({ status: failed.code, stderr: failed.stderr }),
  );
}

const mirroredBy = (server: LocalServer, allowHttp: boolean): string =>
  exampleProject({ 'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${server.base}"${allowHttp ? ', allowHttp: true' : ''} }`) });

const authority = (server: LocalServer): string => new URL(server.base).host;

describe('kindling lock behind a proxy', () => {
  it('tunnels every https download through HTTPS_PROXY', async () => {
    proxy.seen.length = 0;
    const dir = mirroredBy(secure, false);
    const cli = await lockProcess(dir, { HTTPS_PROXY: proxy.url });
    expect(cli.status, cli.stderr).toBe(0);
    // Two checksum files and three artifacts, each its own request; undici may reuse a tunnel.
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${authority(secure)}`]));
    expect(readFileSync(join(dir, 'kindling.lock'), 'utf8')).toContain(ARTIFACTS[0]);
  });

  it('reads the lower-case https_proxy too', async () => {
    proxy.seen.length = 0;
    const cli = await lockProcess(mirroredBy(secure, false), { https_proxy: proxy.url });
    expect(cli.status, cli.stderr).toBe(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${authority(secure)}`]));
  });

  it('sends plain-http downloads (a mirror marked allowHttp) through http_proxy', async () => {
    proxy.seen.length = 0;
    const cli = await lockProcess(mirroredBy(plain, true), { http_proxy: proxy.url });
    expect(cli.status, cli.stderr).toBe(0);
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${authority(plain)}`]));
  });

  it('reaches the hosts NO_PROXY names directly', async () => {
    proxy.seen.length = 0;
    const hits = secure.hits(new URL(ARTIFACTS[0]!).pathname);
    const cli = await lockProcess(mirroredBy(secure, false), { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(proxy.seen).toEqual([]);
    expect(secure.hits(new URL(ARTIFACTS[0]!).pathname)).toBe(hits + 1);
  });
});
