/** `kindling kubeconfig`: inputs checked, secrets never printed, the file 0600 and readable by the real kubectl. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/project.ts';
import { makeThrowawayPki } from '../validate/throwaway-pki.ts';
import type { ThrowawayPki } from '../validate/throwaway-pki.ts';

const run = promisify(execFile);
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kindling-cli-test-token.c2lnbmF0dXJl';
const SERVER = 'https://10.0.0.10:6443';

let pki: ThrowawayPki;
let dir: string;
let caFile: string;
let tokenFile: string;
let certFile: string;
let keyFile: string;

interface KubectlView {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: Record<string, string> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

async function kubectlView(file: string): Promise<KubectlView> {
  const { stdout } = await run('kubectl', ['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json']);
  return JSON.parse(stdout) as KubectlView;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
/** The key's body lines: any one of them in an output would be a leak. */
const keyLines = (pem: string): string[] => pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));

beforeAll(() => {
  pki = makeThrowawayPki('flannel-client');
  dir = tempDir();
  caFile = join(dir, 'ca.crt');
  tokenFile = join(dir, 'flannel.token');
  certFile = join(dir, 'client.crt');
  keyFile = join(dir, 'client.key');
  writeFileSync(caFile, pki.caPem);
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  writeFileSync(certFile, pki.clientCertPem);
  writeFileSync(keyFile, pki.clientKeyPem, { mode: 0o600 });
});

afterAll(() => pki.cleanup());

describe('kindling kubeconfig', () => {
  it('writes a token kubeconfig with mode 0600 that kubectl reads back with server, CA and user', async () => {
    const out = join(dir, 'token.kubeconfig');
    const cli = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--token-file', tokenFile, '--output', out]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).not.toContain(TOKEN);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const view = await kubectlView(out);
    expect(view.clusters).toEqual([{ name: 'kubernetes', cluster: { server: SERVER, 'certificate-authority-data': b64(pki.caPem) } }]);
    expect(view.users).toEqual([{ name: 'flannel', user: { token: TOKEN } }]);
    expect(view['current-context']).toBe('flannel@kubernetes');
    expect(view.contexts).toEqual([{ name: 'flannel@kubernetes', context: { cluster: 'kubernetes', user: 'flannel' } }]);
  });

  it('replaces an existing world-readable file with a 0600 one', async () => {
    const out = join(dir, 'replaced.kubeconfig');
    writeFileSync(out, 'old\n', { mode: 0o644 });
    const cli = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--token-file', tokenFile, '--output', out]);
    expect(cli.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain(`token: ${TOKEN}`);
  });

  it('takes the token from an environment variable and prints to stdout when there is no --output', async () => {
    process.env.KINDLING_TEST_FLANNEL_TOKEN = TOKEN;
    try {
      const cli = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--token-env', 'KINDLING_TEST_FLANNEL_TOKEN', '--user', 'flanneld', '--cluster-name', 'lab']);
      expect(cli.status).toBe(0);
      expect(cli.stderr).toBe('');
      const file = join(dir, 'from-stdout.kubeconfig');
      writeFileSync(file, cli.stdout, { mode: 0o600 });
      const view = await kubectlView(file);
      expect(view.users).toEqual([{ name: 'flanneld', user: { token: TOKEN } }]);
      expect(view['current-context']).toBe('flanneld@lab');
    } finally {
      delete process.env.KINDLING_TEST_FLANNEL_TOKEN;
    }
  });

  it('assembles a client-certificate kubeconfig without printing the key', async () => {
    const out = join(dir, 'cert.kubeconfig');
    const cli = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--client-certificate', certFile, '--client-key', keyFile, '--output', out]);
    expect(cli.status).toBe(0);
    for (const line of keyLines(pki.clientKeyPem)) expect(cli.stderr + cli.stdout).not.toContain(line);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const view = await kubectlView(out);
    expect(view.users).toEqual([{ name: 'flannel', user: { 'client-certificate-data': b64(pki.clientCertPem), 'client-key-data': b64(pki.clientKeyPem) } }]);
  });

  it('rejects an http server, a CA that is not PEM and a token with whitespace, all at once, without echoing the token', async () => {
    const badToken = join(dir, 'bad.token');
    writeFileSync(badToken, `${TOKEN} ${TOKEN}\n`);
    const notPem = join(dir, 'not-a-ca.crt');
    writeFileSync(notPem, b64(pki.caPem));
    const out = join(dir, 'never.kubeconfig');
    const cli = await runCli(['kubeconfig', '--server', 'http://10.0.0.10:6443', '--ca-file', notPem, '--token-file', badToken, '--output', out]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/\[url\/insecure\]/);
    expect(cli.stderr).toMatch(/\[secret\/invalid-ca\]/);
    expect(cli.stderr).toMatch(new RegExp(`whitespace at character ${TOKEN.length + 1} of ${2 * TOKEN.length + 1} .*\\[secret/invalid-token\\]`));
    expect(cli.stderr + cli.stdout).not.toContain(TOKEN);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects an empty token and a key that does not belong to the certificate', async () => {
    const empty = join(dir, 'empty.token');
    writeFileSync(empty, '\n');
    const tokenRun = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--token-file', empty]);
    expect(tokenRun.status).toBe(1);
    expect(tokenRun.stderr).toMatch(/token is empty/);
    expect(tokenRun.stdout).toBe('');

    const otherKey = join(dir, 'other.key');
    writeFileSync(otherKey, pki.otherKeyPem);
    const certRun = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--client-certificate', certFile, '--client-key', otherKey]);
    expect(certRun.status).toBe(1);
    expect(certRun.stderr).toMatch(/does not match .*\[secret\/invalid-key\]/);
    for (const line of keyLines(pki.otherKeyPem)) expect(certRun.stderr).not.toContain(line);
  });

  it('names an unreadable input file and an unset variable, exit 1', async () => {
    const cli = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', join(dir, 'missing.crt'), '--token-env', 'KINDLING_TEST_UNSET_VARIABLE']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/cannot read the --ca-file file '.*missing\.crt': no such file or directory/);
    expect(cli.stderr).toMatch(/KINDLING_TEST_UNSET_VARIABLE \(--token-env\) is not set/);
  });

  it('is a usage error (exit 2) without exactly one credential', async () => {
    const none = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/exactly one credential/);
    const two = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--token-file', tokenFile, '--client-certificate', certFile, '--client-key', keyFile]);
    expect(two.status).toBe(2);
    const half = await runCli(['kubeconfig', '--server', SERVER, '--ca-file', caFile, '--client-certificate', certFile]);
    expect(half.status).toBe(2);
    const noServer = await runCli(['kubeconfig', '--ca-file', caFile, '--token-file', tokenFile]);
    expect(noServer.status).toBe(2);
  });
});
