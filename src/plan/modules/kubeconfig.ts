/**
 * Assembles the kubeconfig flanneld reads with `--kubeconfig-file`.
 *
 * PURE: strings in, YAML text out. The result holds a credential (token or client key): callers
 * must write it with mode 0600 and must never log or print it.
 */
import { dump } from 'js-yaml';

export type KubeconfigCredentials =
  | { readonly token: string }
  | { readonly clientCertificatePem: string; readonly clientKeyPem: string };

export interface KubeconfigInput {
  /** API server URL, e.g. `https://10.0.0.1:6443`; validate it with validate/credentials.ts first. */
  readonly server: string;
  /** One or more PEM certificates the API server's serving certificate chains to. */
  readonly caPem: string;
  /** Default `kubernetes`, as kubeadm names its cluster entry. */
  readonly clusterName?: string;
  /** Default `flannel`, the ServiceAccount's name. */
  readonly userName?: string;
  readonly credentials: KubeconfigCredentials;
}

/** kubectl and client-go expect `*-data` fields as standard base64 of the PEM text itself. */
function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function userEntry(credentials: KubeconfigCredentials): Record<string, string> {
  if ('token' in credentials) return { token: credentials.token };
  return {
    'client-certificate-data': base64(credentials.clientCertificatePem),
    'client-key-data': base64(credentials.clientKeyPem),
  };
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const clusterName = input.clusterName ?? 'kubernetes';
  const userName = input.userName ?? 'flannel';
  const contextName = `${userName}@${clusterName}`;
  // Key order is fixed by these literals, so the output is byte-identical for identical input.
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: { server: input.server, 'certificate-authority-data': base64(input.caPem) },
      },
    ],
    users: [{ name: userName, user: userEntry(input.credentials) }],
    contexts: [{ name: contextName, context: { cluster: clusterName, user: userName } }],
    'current-context': contextName,
    // `kubectl config view` prints an empty preferences map; writing it keeps a round trip diff-free.
    preferences: {},
  };
  return dump(config, { lineWidth: -1, noRefs: true });
}
