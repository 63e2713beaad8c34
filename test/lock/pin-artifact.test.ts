import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactFetchError } from '../../src/lock/fetch-artifact.ts';
import { pinArtifact } from '../../src/lock/pin-artifact.ts';
import { ChecksumFileError, ChecksumMismatchError } from '../../src/lock/published-checksum.ts';
import { sendBytes, startLocalServer, testBytes } from './local-server.ts';
import type { LocalServer } from './local-server.ts';

let server: LocalServer;
// The local server speaks plain http, which a download must allow explicitly.
const noWait = { sleep: async () => {}, backoffMs: 1, allowHttp: true };
const body = testBytes(70_000, 29);
const sha256 = createHash('sha256').update(body).digest('hex');
const sha512 = createHash('sha512').update(body).digest('hex');

beforeAll(async () => {
  server = await startLocalServer();
  server.route('/rel/cni-plugins-linux-amd64-v1.9.1.tgz', (_req, res) => sendBytes(res, body));
  server.route('/rel/cni-plugins-linux-amd64-v1.9.1.tgz.sha256', (_req, res) =>
    sendBytes(res, Buffer.from(`${sha256}  cni-plugins-linux-amd64-v1.9.1.tgz\n`)),
  );
  server.route('/rel/cni-plugins-linux-amd64-v1.9.1.tgz.sha512', (_req, res) =>
    sendBytes(res, Buffer.from(`${sha512}  cni-plugins-linux-amd64-v1.9.1.tgz\n`)),
  );
  // A published checksum that does not match the bytes (a replaced asset, or a tampering mirror).
  server.route('/bad/cni-plugins-linux-amd64-v1.9.1.tgz', (_req, res) => sendBytes(res, body));
  server.route('/bad/cni-plugins-linux-amd64-v1.9.1.tgz.sha256', (_req, res) =>
    sendBytes(res, Buffer.from(`${'0'.repeat(63)}1  cni-plugins-linux-amd64-v1.9.1.tgz\n`)),
  );
  // A checksum file for some other asset.
  server.route('/other/flannel-amd64', (_req, res) => sendBytes(res, body));
  server.route('/other/flannel-amd64.sha256', (_req, res) => sendBytes(res, Buffer.from(`${sha256}  flannel-arm64\n`)));
});
afterAll(() => server.close());

describe('pinArtifact', () => {
  it('pins an artifact that matches both published checksums', async () => {
    const url = `${server.base}/rel/cni-plugins-linux-amd64-v1.9.1.tgz`;
    const result = await pinArtifact({ url, checksumUrls: { sha256: `${url}.sha256`, sha512: `${url}.sha512` } }, noWait);
    expect(result.entry).toEqual({ url, sha256, sha512, size: body.length });
    expect(result.verifiedAgainst.map((c) => c.algorithm)).toEqual(['sha256', 'sha512']);
  });

  it('pins an artifact that publishes no checksum from its own bytes', async () => {
    const url = `${server.base}/rel/cni-plugins-linux-amd64-v1.9.1.tgz`;
    const result = await pinArtifact({ url }, noWait);
    expect(result.entry.sha512).toBe(sha512);
    expect(result.verifiedAgainst).toEqual([]);
  });

  it('refuses to pin when the published checksum is wrong', async () => {
    const url = `${server.base}/bad/cni-plugins-linux-amd64-v1.9.1.tgz`;
    const pinning = pinArtifact({ url, checksumUrls: { sha256: `${url}.sha256` } }, noWait);
    await expect(pinning).rejects.toBeInstanceOf(ChecksumMismatchError);
    await expect(pinArtifact({ url, checksumUrls: { sha256: `${url}.sha256` } }, noWait)).rejects.toThrow(
      new RegExp(`sha256 is ${sha256} but .* publishes 0{63}1`),
    );
  });

  it('refuses a checksum file that does not list the asset', async () => {
    const url = `${server.base}/other/flannel-amd64`;
    await expect(pinArtifact({ url, checksumUrls: { sha256: `${url}.sha256` } }, noWait)).rejects.toBeInstanceOf(ChecksumFileError);
  });

  it('fails on a checksum URL that is 404 before downloading the artifact', async () => {
    const url = `${server.base}/rel/cni-plugins-linux-amd64-v1.9.1.tgz`;
    const before = server.hits('/rel/cni-plugins-linux-amd64-v1.9.1.tgz');
    const error = await pinArtifact({ url, checksumUrls: { sha512: `${url}.sha512-missing` } }, noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactFetchError);
    expect((error as ArtifactFetchError).failure).toBe('not-found');
    expect(server.hits('/rel/cni-plugins-linux-amd64-v1.9.1.tgz')).toBe(before);
  });

  it('downloads a mirrored artifact and its checksum files from the mirror, recording the release URL', async () => {
    const release = 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz';
    server.route('/m/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz', (_req, res) => sendBytes(res, body));
    server.route('/m/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz.sha256', (_req, res) =>
      sendBytes(res, Buffer.from(`${sha256}  cni-plugins-linux-amd64-v1.9.1.tgz\n`)),
    );
    const target = { url: release, checksumUrls: { sha256: `${release}.sha256` }, mirror: { url: `${server.base}/m/`, allowHttp: true } };
    const result = await pinArtifact(target, { sleep: async () => {}, backoffMs: 1 });
    expect(result.entry).toEqual({ url: release, sha256, sha512, size: body.length });
    expect(result.artifact.url).toBe(release);
    expect(result.artifact.finalUrl).toBe(`${server.base}/m/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz`);
    expect(result.verifiedAgainst.map((c) => c.url)).toEqual([`${server.base}/m/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz.sha256`]);

    // The same mirror without allowHttp may not serve plain http.
    await expect(pinArtifact({ ...target, mirror: { url: `${server.base}/m/`, allowHttp: false } }, { sleep: async () => {}, backoffMs: 1 })).rejects.toThrow(/uses plain http/);
  });
});
