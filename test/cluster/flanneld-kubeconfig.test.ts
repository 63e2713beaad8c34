/** flanneld's kubeconfig assembled from files as a library call: checked inputs, no secret in any message, a 0600 file. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleKubeconfig } from '../../src/cluster/flanneld-kubeconfig.ts';
import { writeSecretFile } from '../../src/cluster/write-secret-file.ts';
import { tempDir } from '../helpers/project.ts';
import { makeThrowawayPki } from '../validate/throwaway-pki.ts';
import type { ThrowawayPki } from '../validate/throwaway-pki.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kindling-library-test-token.c2lnbmF0dXJl';
const SERVER = 'https://10.0.0.10:6443';

let pki: ThrowawayPki;
let caFile: string;
let tokenFile: string;
let certFile: string;
let keyFile: string;

beforeAll(() => {
  pki = makeThrowawayPki('flannel-client');
  const dir = tempDir();
  caFile = join(dir, 'ca.crt');
  tokenFile = join(dir, 'flannel.token');
  certFile = join(dir, 'client.crt');
  keyFile = join(dir, 'client.key');
  writeFileSync(caFile, pki.caPem);
  writeFileSync(tokenFile, `${TOKEN}\n`);
  writeFileSync(certFile, pki.clientCertPem);
  writeFileSync(keyFile, pki.clientKeyPem);
});

afterAll(() => pki.cleanup());

describe('assembleKubeconfig', () => {
  it('assembles a token kubeconfig from a token file, without its trailing newline', () => {
    const result = assembleKubeconfig({ server: SERVER, caFile, credential: { tokenFile }, clusterName: 'lab', user: 'flanneld' });
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toContain(`    token: ${TOKEN}\n`);
    expect(result.text).toContain(`    server: ${SERVER}\n`);
    expect(result.text).toContain('current-context: flanneld@lab\n');
    expect(result.text).toContain(`certificate-authority-data: ${Buffer.from(pki.caPem).toString('base64')}`);
  });

  it('reads the token from the environment it is given, not the process environment', () => {
    const result = assembleKubeconfig({ server: SERVER, caFile, credential: { tokenEnv: 'FLANNEL_TOKEN' } }, { FLANNEL_TOKEN: TOKEN });
    expect(result.text).toContain(`token: ${TOKEN}`);
    const unset = assembleKubeconfig({ server: SERVER, caFile, credential: { tokenEnv: 'FLANNEL_TOKEN' } }, {});
    expect(unset.text).toBeUndefined();
    expect(unset.diagnostics).toEqual([
      { code: 'secret/missing', severity: 'error', message: 'environment variable FLANNEL_TOKEN (--token-env) is not set', hint: 'export FLANNEL_TOKEN before running kindling' },
    ]);
  });

  it('assembles a client-certificate kubeconfig', () => {
    const result = assembleKubeconfig({ server: SERVER, caFile, credential: { clientCertificate: certFile, clientKey: keyFile } });
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toContain(`client-certificate-data: ${Buffer.from(pki.clientCertPem).toString('base64')}`);
  });

  it('reports every unreadable input and an http server at once, naming files and never their contents', () => {
    const missing = join(tempDir(), 'absent.crt');
    const result = assembleKubeconfig({ server: 'http://10.0.0.10:6443', caFile: missing, credential: { tokenFile: missing } });
    expect(result.text).toBeUndefined();
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(new RegExp(`^cannot read the --ca-file file '${missing}': `)),
      expect.stringMatching(new RegExp(`^cannot read the --token-file file '${missing}': `)),
    ]);
    const insecure = assembleKubeconfig({ server: 'http://10.0.0.10:6443', caFile, credential: { tokenFile } });
    expect(insecure.text).toBeUndefined();
    expect(insecure.diagnostics.map((d) => d.code)).toContain('url/insecure');
    expect(JSON.stringify(insecure.diagnostics)).not.toContain(TOKEN);
  });
});

describe('writeSecretFile', () => {
  it('replaces a world-readable file with a 0600 one', () => {
    const path = join(tempDir(), 'kubeconfig');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    expect(writeSecretFile(path, 'new\n')).toEqual({ ok: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });

  it('returns the reason when the file cannot be written', () => {
    const result = writeSecretFile(join(tempDir(), 'no-such-dir', 'kubeconfig'), 'x');
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toMatch(/no such file or directory|does not exist/i);
  });
});
