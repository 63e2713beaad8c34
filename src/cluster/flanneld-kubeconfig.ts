/**
 * The kubeconfig flanneld reads, assembled from files the way `kindling kubeconfig` takes them: an
 * API server URL, a CA file and one credential (a token file, a token in an environment variable,
 * or a client certificate and key) — the same assembly builds do for every node. The inputs are
 * checked first (https URL, PEM CA, a token with no whitespace inside, a key that matches its
 * certificate), and no message ever echoes a secret. Messages name the command's options, since
 * that is where the paths came from.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { describeIoError } from '../io/io-error.ts';
import { renderKubeconfig } from '../plan/modules/kubeconfig.ts';
import type { KubeconfigCredentials } from '../plan/modules/kubeconfig.ts';
import { checkClusterCredentials, normaliseToken } from '../validate/credentials.ts';

/** Where the one credential comes from. */
export type KubeconfigCredentialSource =
  | { readonly tokenFile: string }
  | { readonly tokenEnv: string }
  | { readonly clientCertificate: string; readonly clientKey: string };

export interface KubeconfigFiles {
  /** API server URL; must be https. */
  readonly server: string;
  /** PEM CA certificate(s) of the API server. */
  readonly caFile: string;
  readonly credential: KubeconfigCredentialSource;
  /** Name of the cluster entry; default `kubernetes`. */
  readonly clusterName?: string;
  /** Name of the user entry; default `flannel`. */
  readonly user?: string;
}

export interface AssembledKubeconfig {
  /** The kubeconfig; absent when there are diagnostics. It holds a credential: write it 0600. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads one input file; the message names the file and the option, never its contents. */
function readInput(path: string, what: string, problems: Diagnostic[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push({ code: 'secret/missing', severity: 'error', message: `cannot read the ${what} file '${path}': ${describeIoError(error)}`, hint: `check the path given to the ${what} option` });
    return undefined;
  }
}

function readCredentials(source: KubeconfigCredentialSource, env: Readonly<Record<string, string | undefined>>, problems: Diagnostic[]): KubeconfigCredentials | undefined {
  if ('tokenFile' in source) {
    const raw = readInput(source.tokenFile, '--token-file', problems);
    return raw === undefined ? undefined : { token: normaliseToken(raw) };
  }
  if ('tokenEnv' in source) {
    const raw = env[source.tokenEnv];
    if (raw === undefined) {
      problems.push({ code: 'secret/missing', severity: 'error', message: `environment variable ${source.tokenEnv} (--token-env) is not set`, hint: `export ${source.tokenEnv} before running kindling` });
      return undefined;
    }
    return { token: normaliseToken(raw) };
  }
  const cert = readInput(source.clientCertificate, '--client-certificate', problems);
  const key = readInput(source.clientKey, '--client-key', problems);
  return cert !== undefined && key !== undefined ? { clientCertificatePem: cert, clientKeyPem: key } : undefined;
}

/** Reads and checks the inputs, then renders the kubeconfig; `env` is where a token variable is looked up. */
export function assembleKubeconfig(files: KubeconfigFiles, env: Readonly<Record<string, string | undefined>> = process.env): AssembledKubeconfig {
  const problems: Diagnostic[] = [];
  const caPem = readInput(files.caFile, '--ca-file', problems);
  const credentials = readCredentials(files.credential, env, problems);
  if (caPem !== undefined && credentials !== undefined) {
    for (const problem of checkClusterCredentials({ server: files.server, caPem, credentials })) {
      problems.push({ code: problem.code, severity: 'error', message: problem.message, hint: problem.hint });
    }
  }
  if (problems.length > 0 || caPem === undefined || credentials === undefined) return { diagnostics: problems };
  const text = renderKubeconfig({
    server: files.server,
    caPem,
    credentials,
    ...(files.clusterName !== undefined ? { clusterName: files.clusterName } : {}),
    ...(files.user !== undefined ? { userName: files.user } : {}),
  });
  return { text, diagnostics: [] };
}
