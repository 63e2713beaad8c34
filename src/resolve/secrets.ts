/**
 * Loads the credentials the profile references. Values are read here and carried only in the
 * project model; diagnostics name the file or variable, never the value.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ClusterDoc, SecretRef } from '../validate/profile-types.ts';
import type { Located } from '../validate/located.ts';
import { checkClusterCredentials, normaliseToken } from '../validate/credentials.ts';
import { boundedReadHint, readBoundedFile } from '../io/bounded-file.ts';
import type { ClusterCredentials } from './project-model.ts';

export interface SecretSource {
  readonly env: NodeJS.ProcessEnv;
}

export function loadCredentials(cluster: Located<ClusterDoc>, source: SecretSource, diagnostics: Diagnostic[]): ClusterCredentials | undefined {
  const refs = cluster.value.kubernetes.credentials;
  const base = ['kubernetes', 'credentials'];
  const read = (ref: SecretRef, key: string, what: string, secret = false): string | undefined => {
    const path = [...base, key, ref.file !== undefined ? 'file' : 'env'];
    const location = cluster.doc.locate(path);
    if (ref.env !== undefined) {
      const value = source.env[ref.env];
      if (value === undefined || value === '') {
        diagnostics.push({ code: 'secret/missing', severity: 'error', message: `environment variable ${ref.env} (${what}) is not set`, hint: `export ${ref.env} before running kindling`, location, path });
        return undefined;
      }
      return value;
    }
    const file = resolvePath(dirname(cluster.doc.file.path), ref.file!);
    const read = readBoundedFile(file);
    if (read.ok) {
      if (secret && (read.mode & 0o077) !== 0) {
        diagnostics.push({
          code: 'secret/readable-by-others',
          severity: 'warning',
          message: `the ${what} file '${ref.file}' can be read by its group or by others (mode ${(read.mode & 0o777).toString(8).padStart(4, '0')})`,
          hint: `chmod 600 ${ref.file}, and keep it out of version control (a git checkout makes files 0644)`,
          location,
          path,
        });
      }
      return read.data.toString('utf8');
    }
    // A missing or unreadable file keeps its secret/ code; a FIFO, device or huge file is an input problem.
    const code = read.code === 'io/unreadable' ? 'secret/missing' : read.code;
    diagnostics.push({ code, severity: 'error', message: `cannot read ${what} file '${ref.file}': ${read.reason}`, hint: boundedReadHint(read.code, 'paths are relative to the file that names them'), location, path });
    return undefined;
  };

  const ca = read(refs.ca, 'ca', 'CA certificate');
  let auth: ClusterCredentials['auth'] | undefined;
  if (refs.token) {
    const raw = read(refs.token, 'token', 'token', true);
    if (raw !== undefined) auth = { token: normaliseToken(raw) };
  } else if (refs.clientCertificate && refs.clientKey) {
    const cert = read(refs.clientCertificate, 'clientCertificate', 'client certificate');
    const key = read(refs.clientKey, 'clientKey', 'client key', true);
    if (cert !== undefined && key !== undefined) auth = { clientCertificatePem: cert, clientKeyPem: key };
  } else {
    diagnostics.push({
      code: 'secret/missing',
      severity: 'error',
      message: 'flanneld needs credentials: a token, or a client certificate and key',
      hint: 'add kubernetes.credentials.token: {file: ...} (see `kindling rbac`), or clientCertificate and clientKey',
      location: cluster.doc.locate(base),
      path: base,
    });
  }
  if (ca === undefined || auth === undefined) return undefined;

  const problems = checkClusterCredentials({ server: cluster.value.kubernetes.apiServer, caPem: ca, credentials: auth });
  for (const problem of problems) {
    // The API server URL is checked (and located) by the validate stage already.
    if (problem.code.startsWith('url/')) continue;
    const key = problem.code === 'secret/invalid-ca' ? 'ca' : problem.code === 'secret/invalid-token' ? 'token' : 'clientCertificate';
    const path = [...base, key];
    diagnostics.push({ code: problem.code, severity: 'error', message: problem.message, hint: problem.hint, location: cluster.doc.locate(path), path });
  }
  if (problems.some((p) => !p.code.startsWith('url/'))) return undefined;
  return { caPem: ca, auth };
}
