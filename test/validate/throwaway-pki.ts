/**
 * A throwaway CA, server certificate and client certificates made with the real `openssl` for one
 * test run (in a temp directory, deleted afterwards). Nothing private is committed to the repo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPki {
  readonly dir: string;
  readonly caPem: string;
  readonly caKeyPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  /** A key from an unrelated pair, for mismatch tests. */
  readonly otherKeyPem: string;
  /** The client key, encrypted with a passphrase. */
  readonly encryptedClientKeyPem: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeThrowawayPki(clientCommonName = 'flannel-client'): ThrowawayPki {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-subj', '/CN=kindling-test-ca', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(dir, ['req', '-new', ...ec, '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'server.ext', '-out', 'server.crt']);
  openssl(dir, ['req', '-new', ...ec, '-subj', `/CN=${clientCommonName}`, '-keyout', 'client.key', '-out', 'client.csr']);
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(dir, ['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'client.ext', '-out', 'client.crt']);
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.key']);
  openssl(dir, ['pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:kindling-test', '-out', 'client-encrypted.key']);
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    caPem: read('ca.crt'),
    caKeyPem: read('ca.key'),
    serverCertPem: read('server.crt'),
    serverKeyPem: read('server.key'),
    clientCertPem: read('client.crt'),
    clientKeyPem: read('client.key'),
    otherKeyPem: read('other.key'),
    encryptedClientKeyPem: read('client-encrypted.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
