import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkApiServerUrl,
  checkCaPem,
  checkClientCertificate,
  checkClusterCredentials,
  checkToken,
  normaliseToken,
} from '../../src/validate/credentials.ts';
import { makeThrowawayPki } from './throwaway-pki.ts';
import type { ThrowawayPki } from './throwaway-pki.ts';

let pki: ThrowawayPki;
beforeAll(() => {
  pki = makeThrowawayPki();
});
afterAll(() => pki.cleanup());

const codes = (problems: { code: string }[]): string[] => problems.map((p) => p.code);

describe('normaliseToken', () => {
  it('removes exactly one trailing newline, LF or CRLF', () => {
    expect(normaliseToken('abc\n')).toBe('abc');
    expect(normaliseToken('abc\r\n')).toBe('abc');
    expect(normaliseToken('abc\n\n')).toBe('abc\n');
    expect(normaliseToken(' abc')).toBe(' abc');
  });
});

describe('checkToken', () => {
  it('accepts a JWT-shaped token', () => {
    expect(checkToken('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmbGFubmVsIn0.c2lnbmF0dXJl')).toEqual([]);
  });

  it('rejects an empty token', () => {
    expect(codes(checkToken(''))).toEqual(['secret/invalid-token']);
  });

  it('rejects a token with a space inside and does not reveal it', () => {
    const secret = 'abcdefSECRET ghijkl';
    const problems = checkToken(secret);
    expect(codes(problems)).toEqual(['secret/invalid-token']);
    const text = JSON.stringify(problems);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('abcdef');
    expect(problems[0]?.message).toContain('whitespace');
  });

  it('rejects a second line left in the token file', () => {
    expect(codes(checkToken(normaliseToken('one\ntwo\n')))).toEqual(['secret/invalid-token']);
  });

  it('rejects non-ASCII characters', () => {
    expect(codes(checkToken('tökén'))).toEqual(['secret/invalid-token']);
  });
});

describe('checkApiServerUrl', () => {
  it('accepts an https URL with a port', () => {
    expect(checkApiServerUrl('https://10.0.0.1:6443')).toEqual([]);
    expect(checkApiServerUrl('https://api.example.test/k8s')).toEqual([]);
  });

  it('rejects a plain http server URL as insecure', () => {
    expect(codes(checkApiServerUrl('http://10.0.0.1:6443'))).toEqual(['url/insecure']);
  });

  it('rejects something that is not a URL', () => {
    expect(codes(checkApiServerUrl('10.0.0.1:6443 '))).toContain('url/invalid');
    expect(codes(checkApiServerUrl('not a url'))).toEqual(['url/invalid']);
  });

  it('rejects userinfo without echoing the password', () => {
    const problems = checkApiServerUrl('https://admin:hunter2@10.0.0.1:6443');
    expect(codes(problems)).toEqual(['url/invalid']);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('rejects a query string', () => {
    expect(codes(checkApiServerUrl('https://10.0.0.1:6443/?x=1'))).toEqual(['url/invalid']);
  });
});

describe('checkCaPem', () => {
  it('accepts a real CA certificate and a bundle of two', () => {
    expect(checkCaPem(pki.caPem)).toEqual([]);
    expect(checkCaPem(`${pki.caPem}${pki.serverCertPem}`)).toEqual([]);
  });

  it('rejects text that holds no certificate', () => {
    expect(codes(checkCaPem('hello'))).toEqual(['secret/invalid-ca']);
    // base64 certificate-authority-data pasted instead of the PEM
    expect(codes(checkCaPem(Buffer.from(pki.caPem).toString('base64')))).toEqual(['secret/invalid-ca']);
  });

  it('rejects a damaged certificate block', () => {
    const lines = pki.caPem.split('\n');
    // Drop two body lines: still a BEGIN/END pair, no longer DER.
    const damaged = [...lines.slice(0, 2), ...lines.slice(4)].join('\n');
    expect(codes(checkCaPem(damaged))).toEqual(['secret/invalid-ca']);
  });

  it('rejects a private key in the CA file without quoting it', () => {
    const problems = checkCaPem(`${pki.caPem}${pki.caKeyPem}`);
    expect(codes(problems)).toEqual(['secret/invalid-ca']);
    const keyBody = pki.caKeyPem.split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(10);
    expect(JSON.stringify(problems)).not.toContain(keyBody);
    expect(problems[0]?.hint).toMatch(/private key/);
  });

  it('rejects a CA outside its validity period when a clock is given', () => {
    expect(checkCaPem(pki.caPem, { now: new Date() })).toEqual([]);
    expect(codes(checkCaPem(pki.caPem, { now: new Date('2000-01-01T00:00:00Z') }))).toEqual(['secret/invalid-ca']);
  });
});

describe('checkClientCertificate', () => {
  it('accepts a certificate with its own key', () => {
    expect(checkClientCertificate(pki.clientCertPem, pki.clientKeyPem)).toEqual([]);
  });

  it('rejects a key from another pair', () => {
    const problems = checkClientCertificate(pki.clientCertPem, pki.otherKeyPem);
    expect(codes(problems)).toEqual(['secret/invalid-key']);
    expect(problems[0]?.message).toMatch(/does not match/);
  });

  it('rejects an encrypted key', () => {
    const problems = checkClientCertificate(pki.clientCertPem, pki.encryptedClientKeyPem);
    expect(codes(problems)).toEqual(['secret/invalid-key']);
    expect(problems[0]?.message).toMatch(/encrypted/);
  });

  it('rejects a certificate that is not PEM and a key that is garbage, both at once', () => {
    const garbageKey = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
    const problems = checkClientCertificate('nope', garbageKey);
    expect(codes(problems)).toEqual(['secret/invalid-key', 'secret/invalid-key']);
    expect(JSON.stringify(problems)).not.toContain('bm90IGEga2V5');
  });
});

describe('checkClusterCredentials', () => {
  it('reports every problem of a bad input in one run', () => {
    const problems = checkClusterCredentials({ server: 'http://10.0.0.1:6443', caPem: 'x', credentials: { token: '' } });
    expect(codes(problems)).toEqual(['url/insecure', 'secret/invalid-ca', 'secret/invalid-token']);
  });

  it('passes a good client-certificate input', () => {
    expect(
      checkClusterCredentials({
        server: 'https://127.0.0.1:6443',
        caPem: pki.caPem,
        credentials: { clientCertificatePem: pki.clientCertPem, clientKeyPem: pki.clientKeyPem },
      }),
    ).toEqual([]);
  });
});
