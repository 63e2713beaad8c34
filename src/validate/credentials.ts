/**
 * Checks for the inputs of a flanneld kubeconfig: API server URL, CA bundle, bearer token, client
 * certificate and key. PURE: strings in, problems out (node:crypto only parses, it does no I/O).
 *
 * Every message is written so that it never contains a secret's value — not the token, not the key,
 * not a URL's userinfo — because diagnostics are printed, logged and pasted into issues.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { DiagnosticCode } from '../diagnostics/codes.ts';

export interface CredentialProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly hint: string;
}

/**
 * Strips exactly one trailing newline (`\n` or `\r\n`), the one `echo`, editors and
 * `kubectl ... | base64 -d > file` leave behind. Anything else stays, so checkToken can reject it
 * rather than kindling silently repairing a token that is really malformed.
 */
export function normaliseToken(raw: string): string {
  if (raw.endsWith('\r\n')) return raw.slice(0, -2);
  if (raw.endsWith('\n')) return raw.slice(0, -1);
  return raw;
}

/**
 * A bearer token travels in an HTTP `Authorization` header, so it must be non-empty visible ASCII:
 * whitespace inside it means two values were pasted together or the file is not a token at all.
 */
export function checkToken(token: string, label = 'the flannel token'): CredentialProblem[] {
  if (token.length === 0) {
    return [
      {
        code: 'secret/invalid-token',
        message: `${label} is empty`,
        hint: 'read the token of the flannel ServiceAccount Secret: kubectl -n kube-flannel get secret flannel-token -o jsonpath="{.data.token}" | base64 -d',
      },
    ];
  }
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    const what = /\s/.test(token.charAt(i)) ? 'whitespace' : 'a character that is not printable ASCII';
    // The position, not the character or its neighbours: nothing of the value leaks.
    return [
      {
        code: 'secret/invalid-token',
        message: `${label} has ${what} at character ${i + 1} of ${token.length}`,
        hint: 'a token is one line of printable ASCII; only a single trailing newline is removed — check the file holds exactly one token',
      },
    ];
  }
  return [];
}

/** The API server URL must parse, be https (the token is sent to it) and carry no userinfo, query or fragment. */
export function checkApiServerUrl(url: string, label = 'the API server URL'): CredentialProblem[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [
      {
        code: 'url/invalid',
        message: `${label} does not parse as a URL`,
        hint: 'write it as https://<host>:<port>, e.g. https://10.0.0.1:6443',
      },
    ];
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Do not echo the URL: its userinfo may be a password.
    return [
      {
        code: 'url/invalid',
        message: `${label} carries a user name or password`,
        hint: 'remove the userinfo part; flanneld authenticates with the token or client certificate of the kubeconfig',
      },
    ];
  }
  const problems: CredentialProblem[] = [];
  if (url !== url.trim()) {
    problems.push({
      code: 'url/invalid',
      message: `${label} has leading or trailing whitespace`,
      hint: 'remove the whitespace; the URL is written into the kubeconfig verbatim',
    });
  }
  if (parsed.protocol !== 'https:') {
    problems.push({
      code: 'url/insecure',
      message: `${label} ${JSON.stringify(url.trim())} uses ${parsed.protocol.replace(/:$/, '')}, not https`,
      hint: 'use https://: flanneld sends its bearer token to this URL and needs TLS to verify the server against the CA',
    });
  }
  if (parsed.hostname === '') {
    problems.push({
      code: 'url/invalid',
      message: `${label} has no host`,
      hint: 'write it as https://<host>:<port>, e.g. https://10.0.0.1:6443',
    });
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    problems.push({
      code: 'url/invalid',
      message: `${label} has a query or fragment`,
      hint: 'client-go appends API paths to the server URL; give only scheme, host, port and an optional path prefix',
    });
  }
  return problems;
}

interface PemBlock {
  readonly label: string;
  readonly text: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(pem: string): PemBlock[] {
  return [...pem.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1] ?? '', text: m[0] }));
}

function parseCertificate(text: string): X509Certificate | undefined {
  try {
    return new X509Certificate(text);
  } catch {
    return undefined;
  }
}

/**
 * The CA must be one or more PEM certificates. A private key in the CA file is reported (without its
 * contents): it would otherwise be copied into every node's kubeconfig.
 * `now`, when given, also rejects certificates outside their validity period (the module stays pure:
 * the caller owns the clock).
 */
export function checkCaPem(pem: string, options: { label?: string; now?: Date } = {}): CredentialProblem[] {
  const label = options.label ?? 'the CA certificate';
  const blocks = pemBlocks(pem);
  const problems: CredentialProblem[] = [];
  const foreign = blocks.filter((b) => b.label !== 'CERTIFICATE');
  for (const block of foreign) {
    problems.push({
      code: 'secret/invalid-ca',
      message: `${label} holds a "${block.label}" PEM block, not only certificates`,
      hint: /PRIVATE KEY/.test(block.label)
        ? 'a CA file must never contain a private key: give the certificate alone (ca.crt of the token Secret or /etc/kubernetes/pki/ca.crt)'
        : 'give only CERTIFICATE blocks (ca.crt of the token Secret or /etc/kubernetes/pki/ca.crt)',
    });
  }
  const certificates = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certificates.length === 0) {
    if (foreign.length === 0) {
      problems.push({
        code: 'secret/invalid-ca',
        message: `${label} holds no PEM certificate`,
        hint: 'give the PEM text (-----BEGIN CERTIFICATE-----): ca.crt of the token Secret or /etc/kubernetes/pki/ca.crt; if you have base64 certificate-authority-data, decode it first',
      });
    }
    return problems;
  }
  certificates.forEach((block, index) => {
    const cert = parseCertificate(block.text);
    const which = certificates.length > 1 ? `certificate ${index + 1} of ${label}` : label;
    if (cert === undefined) {
      problems.push({
        code: 'secret/invalid-ca',
        message: `${which} is not a valid X.509 certificate`,
        hint: 'the PEM block is damaged or truncated: copy it again from the cluster (ca.crt of the token Secret)',
      });
      return;
    }
    if (options.now !== undefined) {
      const now = options.now.getTime();
      if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
        problems.push({
          code: 'secret/invalid-ca',
          message: `${which} (${cert.subject.replaceAll('\n', ', ')}) is not valid now: valid from ${cert.validFrom} to ${cert.validTo}`,
          hint: 'use the current cluster CA certificate',
        });
      }
    }
  });
  return problems;
}

/**
 * A client certificate and its key: both must parse, the key must be unencrypted (a kubeconfig has
 * no passphrase field) and must be the private half of the certificate's public key.
 */
export function checkClientCertificate(
  certificatePem: string,
  keyPem: string,
  label = 'the client certificate',
): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  // The first CERTIFICATE block is the leaf; anything after it is an optional chain.
  const leafBlock = pemBlocks(certificatePem).find((b) => b.label === 'CERTIFICATE');
  const certificate = leafBlock === undefined ? undefined : parseCertificate(leafBlock.text);
  if (certificate === undefined) {
    problems.push({
      code: 'secret/invalid-key',
      message: `${label} is not a PEM X.509 certificate`,
      hint: 'give the PEM text starting with -----BEGIN CERTIFICATE-----',
    });
  }
  let key: KeyObject | undefined;
  let keyProblem: string | undefined;
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(keyPem)) {
    keyProblem = 'is encrypted';
  } else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem)) {
    keyProblem = 'holds no PEM private key';
  } else {
    try {
      key = createPrivateKey({ key: keyPem, format: 'pem' });
    } catch {
      // OpenSSL's error text is not echoed: it is of no help and we promise to say nothing about the key.
      keyProblem = 'does not parse as a PEM private key';
    }
  }
  if (keyProblem !== undefined) {
    problems.push({
      code: 'secret/invalid-key',
      message: `the key of ${label} ${keyProblem}`,
      hint:
        keyProblem === 'is encrypted'
          ? 'a kubeconfig cannot hold a passphrase: decrypt the key (openssl pkey -in key.pem -out plain.pem) and keep the file mode 0600'
          : 'give the unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN EC/RSA PRIVATE KEY-----) that belongs to the certificate',
    });
  }
  if (certificate !== undefined && key !== undefined && !certificate.checkPrivateKey(key)) {
    problems.push({
      code: 'secret/invalid-key',
      message: `the key does not match the public key of ${label} (${certificate.subject.replaceAll('\n', ', ')})`,
      hint: 'the certificate and key files come from different pairs: give the key the certificate was issued for',
    });
  }
  return problems;
}

/** Everything a kubeconfig needs, in the shape plan/modules/kubeconfig.ts takes (redeclared: validate precedes plan). */
export interface ClusterCredentialsInput {
  readonly server: string;
  readonly caPem: string;
  readonly credentials:
    | { readonly token: string }
    | { readonly clientCertificatePem: string; readonly clientKeyPem: string };
}

/** All checks at once, so every problem is reported in one run. */
export function checkClusterCredentials(input: ClusterCredentialsInput, options: { now?: Date } = {}): CredentialProblem[] {
  const credentialProblems =
    'token' in input.credentials
      ? checkToken(input.credentials.token)
      : checkClientCertificate(input.credentials.clientCertificatePem, input.credentials.clientKeyPem);
  return [
    ...checkApiServerUrl(input.server),
    ...checkCaPem(input.caPem, options.now === undefined ? {} : { now: options.now }),
    ...credentialProblems,
  ];
}
