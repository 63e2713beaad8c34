import { execFile } from 'node:child_process';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderKubeconfig } from '../../../src/plan/modules/kubeconfig.ts';
import type { KubeconfigInput } from '../../../src/plan/modules/kubeconfig.ts';
import { makeThrowawayPki } from '../../validate/throwaway-pki.ts';
import type { ThrowawayPki } from '../../validate/throwaway-pki.ts';

const run = promisify(execFile);
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kindling-test-token.c2ln';

let pki: ThrowawayPki;
let dir: string;
let server: Server;
let serverUrl: string;

interface KubectlView {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: Record<string, string> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

function writeKubeconfig(name: string, input: KubeconfigInput): string {
  const file = join(dir, name);
  writeFileSync(file, renderKubeconfig(input), { mode: 0o600 });
  return file;
}

/** The real kubectl reads the file back; nothing is checked against our own parser. */
async function kubectlView(file: string): Promise<KubectlView> {
  const { stdout } = await run('kubectl', ['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json']);
  return JSON.parse(stdout) as KubectlView;
}

beforeAll(async () => {
  pki = makeThrowawayPki('flannel-client');
  dir = mkdtempSync(join(tmpdir(), 'kindling-kubeconfig-'));
  // A stand-in API server on 127.0.0.1: answers /version only to the right bearer token or to a
  // client certificate the throwaway CA signed, so a 200 proves kubectl used our credentials and
  // verified the server against our CA data.
  server = createServer(
    { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      const byToken = req.headers.authorization === `Bearer ${TOKEN}`;
      const byCert = socket.authorized && peer.subject?.CN === 'flannel-client';
      if (req.url?.startsWith('/version') && (byToken || byCert)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ major: '1', minor: '34', gitVersion: byCert ? 'v1.34.0-cert' : 'v1.34.0-token' }));
        return;
      }
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"kind":"Status","status":"Failure","code":401}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  pki.cleanup();
});

describe('renderKubeconfig', () => {
  it('writes a token kubeconfig that kubectl reads back with server, CA data and user', async () => {
    const file = writeKubeconfig('token.kubeconfig', { server: serverUrl, caPem: pki.caPem, credentials: { token: TOKEN } });
    const view = await kubectlView(file);
    expect(view['current-context']).toBe('flannel@kubernetes');
    expect(view.clusters).toHaveLength(1);
    expect(view.clusters[0]?.name).toBe('kubernetes');
    expect(view.clusters[0]?.cluster.server).toBe(serverUrl);
    expect(Buffer.from(view.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString()).toBe(pki.caPem);
    expect(view.users).toEqual([{ name: 'flannel', user: { token: TOKEN } }]);
    expect(view.contexts).toEqual([{ name: 'flannel@kubernetes', context: { cluster: 'kubernetes', user: 'flannel' } }]);
  });

  it('writes a client-certificate kubeconfig that kubectl reads back with both data fields', async () => {
    const file = writeKubeconfig('cert.kubeconfig', {
      server: serverUrl,
      caPem: pki.caPem,
      clusterName: 'prod',
      userName: 'flannel-client',
      credentials: { clientCertificatePem: pki.clientCertPem, clientKeyPem: pki.clientKeyPem },
    });
    const view = await kubectlView(file);
    expect(view['current-context']).toBe('flannel-client@prod');
    expect(view.clusters[0]?.name).toBe('prod');
    const user = view.users[0]?.user ?? {};
    expect(Object.keys(user).sort()).toEqual(['client-certificate-data', 'client-key-data']);
    expect(Buffer.from(user['client-certificate-data'] ?? '', 'base64').toString()).toBe(pki.clientCertPem);
    expect(Buffer.from(user['client-key-data'] ?? '', 'base64').toString()).toBe(pki.clientKeyPem);
  });

  it('lets kubectl authenticate with the token and verify the server with the CA', async () => {
    const file = writeKubeconfig('live-token.kubeconfig', { server: serverUrl, caPem: pki.caPem, credentials: { token: TOKEN } });
    const { stdout } = await run('kubectl', ['--kubeconfig', file, 'get', '--raw', '/version']);
    expect(JSON.parse(stdout)).toMatchObject({ gitVersion: 'v1.34.0-token' });
  });

  it('lets kubectl authenticate with the client certificate', async () => {
    const file = writeKubeconfig('live-cert.kubeconfig', {
      server: serverUrl,
      caPem: pki.caPem,
      credentials: { clientCertificatePem: pki.clientCertPem, clientKeyPem: pki.clientKeyPem },
    });
    const { stdout } = await run('kubectl', ['--kubeconfig', file, 'get', '--raw', '/version']);
    expect(JSON.parse(stdout)).toMatchObject({ gitVersion: 'v1.34.0-cert' });
  });

  it('makes kubectl refuse a server whose certificate the CA did not sign', async () => {
    const stranger = makeThrowawayPki();
    try {
      const file = writeKubeconfig('wrong-ca.kubeconfig', { server: serverUrl, caPem: stranger.caPem, credentials: { token: TOKEN } });
      await expect(run('kubectl', ['--kubeconfig', file, 'get', '--raw', '/version'])).rejects.toThrow(/certificate/);
    } finally {
      stranger.cleanup();
    }
  });

  it('is deterministic and keeps YAML-1.1-looking values as strings for kubectl', async () => {
    const input: KubeconfigInput = { server: serverUrl, caPem: pki.caPem, userName: 'yes', clusterName: '0644', credentials: { token: '0x1F' } };
    const text = renderKubeconfig(input);
    expect(renderKubeconfig(input)).toBe(text);
    // kubectl reads YAML 1.1 (go-yaml), where unquoted yes / 0644 / 0x1F would be a bool and numbers.
    const view = await kubectlView(writeKubeconfig('tricky.kubeconfig', input));
    expect(view.users).toEqual([{ name: 'yes', user: { token: '0x1F' } }]);
    expect(view.clusters[0]?.name).toBe('0644');
    expect(view['current-context']).toBe('yes@0644');
  });
});
