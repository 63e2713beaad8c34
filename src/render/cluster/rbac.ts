/**
 * The cluster-side objects flanneld needs when it runs as a systemd binary in kube-subnet-mgr mode:
 * the upstream kube-flannel Namespace, ClusterRole, ClusterRoleBinding and ServiceAccount, plus a
 * `kubernetes.io/service-account-token` Secret — Kubernetes ≥ 1.24 no longer creates token Secrets
 * on its own, and the kubeconfig needs one.
 *
 * PURE and deterministic: same input, same bytes. Applied once per cluster by an administrator.
 */
import { dump } from 'js-yaml';
import { DiagnosticError } from '../../diagnostics/diagnostic.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { isDns1123Label, isDns1123Subdomain } from './names.ts';

export interface FlannelRbacInput {
  /** Default `kube-flannel` (upstream since v0.19.0). */
  readonly namespace?: string;
  /** Default `flannel`. */
  readonly serviceAccount?: string;
  /** Default `flannel`. */
  readonly clusterRole?: string;
  /** Default `flannel`. */
  readonly clusterRoleBinding?: string;
  /** Default `flannel-token`. */
  readonly secretName?: string;
  /**
   * Also bind the ClusterRole to this x509 user (the client certificate's CN), for clusters that give
   * flanneld a client certificate instead of a ServiceAccount token (as NixOS does with `flannel-client`).
   */
  readonly clientCertificateUser?: string;
  /**
   * Render upstream's ClusterRole exactly, `pods get` included (for a cluster that may later run
   * flannel's DaemonSet with the same role). Off by default: see the ClusterRole's rules below.
   */
  readonly upstreamRole?: boolean;
}

interface ResolvedFlannelRbacNames {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly clusterRole: string;
  readonly clusterRoleBinding: string;
  readonly secretName: string;
}

const FLANNEL_RBAC_DEFAULTS: ResolvedFlannelRbacNames = {
  namespace: 'kube-flannel',
  serviceAccount: 'flannel',
  clusterRole: 'flannel',
  clusterRoleBinding: 'flannel',
  secretName: 'flannel-token',
};

function resolveFlannelRbacNames(input: FlannelRbacInput): ResolvedFlannelRbacNames {
  return {
    namespace: input.namespace ?? FLANNEL_RBAC_DEFAULTS.namespace,
    serviceAccount: input.serviceAccount ?? FLANNEL_RBAC_DEFAULTS.serviceAccount,
    clusterRole: input.clusterRole ?? FLANNEL_RBAC_DEFAULTS.clusterRole,
    clusterRoleBinding: input.clusterRoleBinding ?? FLANNEL_RBAC_DEFAULTS.clusterRoleBinding,
    secretName: input.secretName ?? FLANNEL_RBAC_DEFAULTS.secretName,
  };
}

/**
 * Every invalid name at once. Namespaces must be DNS-1123 labels; the other objects DNS-1123
 * subdomains. A user name is free-form in Kubernetes but must be one line of printable text here.
 */
export function checkFlannelRbacNames(input: FlannelRbacInput): Diagnostic[] {
  const names = resolveFlannelRbacNames(input);
  const problems: Diagnostic[] = [];
  const bad = (field: string, value: string, rule: string): void => {
    problems.push({
      // No dedicated code exists for Kubernetes object names; schema/pattern is the closest.
      code: 'schema/pattern',
      severity: 'error',
      message: `${field} ${JSON.stringify(value)} is not a ${rule}`,
      hint: 'use lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. kube-flannel)',
      path: [field],
    });
  };
  if (!isDns1123Label(names.namespace)) bad('namespace', names.namespace, 'DNS-1123 label (at most 63 characters)');
  for (const field of ['serviceAccount', 'clusterRole', 'clusterRoleBinding', 'secretName'] as const) {
    if (!isDns1123Subdomain(names[field])) bad(field, names[field], 'DNS-1123 subdomain');
  }
  const user = input.clientCertificateUser;
  if (user !== undefined && !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(user)) {
    problems.push({
      code: 'schema/pattern',
      severity: 'error',
      message: `clientCertificateUser ${JSON.stringify(user)} is not one line of printable ASCII`,
      hint: 'give the Common Name (CN) of the client certificate, e.g. flannel-client',
      path: ['clientCertificateUser'],
    });
  }
  return problems;
}

/** Labels upstream puts on every object (kube-flannel.yml v0.28.9). */
const LABELS = { 'k8s-app': 'flannel' } as const;

function flannelRbacObjects(names: ResolvedFlannelRbacNames, clientCertificateUser: string | undefined, upstreamRole: boolean): object[] {
  const subjects: object[] = [{ kind: 'ServiceAccount', name: names.serviceAccount, namespace: names.namespace }];
  if (clientCertificateUser !== undefined) {
    subjects.push({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: clientCertificateUser });
  }
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: names.namespace,
        // flanneld itself does not run in a pod here, but keeping upstream's label means a later switch
        // to (or coexistence with) the DaemonSet is not blocked by Pod Security admission.
        labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'privileged' },
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: names.clusterRole, labels: { ...LABELS } },
      // Upstream's rules, in upstream's order, minus `pods get` unless asked for: flannel's kube subnet
      // manager reads its own pod only to learn the node's name when NODE_NAME is empty (the
      // DaemonSet's POD_NAME/POD_NAMESPACE path), and kindling's flanneld.service always sets NODE_NAME.
      rules: [
        ...(upstreamRole ? [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] : []),
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: names.clusterRoleBinding, labels: { ...LABELS } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: names.clusterRole },
      subjects,
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: names.serviceAccount, namespace: names.namespace, labels: { ...LABELS } },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: names.secretName,
        namespace: names.namespace,
        labels: { ...LABELS },
        // The token controller fills in data.token and data["ca.crt"] for the named ServiceAccount.
        annotations: { 'kubernetes.io/service-account.name': names.serviceAccount },
      },
    },
  ];
}

/**
 * Multi-document YAML ready for `kubectl apply -f -`. Throws DiagnosticError (not a stack trace for
 * the user) when a name is invalid; call checkFlannelRbacNames first to collect problems instead.
 */
export function renderFlannelRbac(input: FlannelRbacInput = {}): string {
  return flannelRbacList(input)
    .map((o) => `---\n${dump(o, { lineWidth: -1, noRefs: true })}`)
    .join('');
}

/** The same objects as plain data (for JSON output); throws DiagnosticError like renderFlannelRbac. */
export function flannelRbacList(input: FlannelRbacInput = {}): object[] {
  const problems = checkFlannelRbacNames(input);
  if (problems.length > 0) throw new DiagnosticError(problems);
  return flannelRbacObjects(resolveFlannelRbacNames(input), input.clientCertificateUser, input.upstreamRole === true);
}
