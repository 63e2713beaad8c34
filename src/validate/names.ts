/** Names that end up in files, units, paths and scripts, and the rules that keep them safe there. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Linux keeps at most 64 bytes of hostname (__NEW_UTS_LEN); systemd refuses a longer /etc/hostname. */
export const HOSTNAME_MAX = 64;

/**
 * A Kubernetes Node name that is also the machine's hostname: a lower-case RFC 1123 subdomain
 * (kubelet registers the lower-cased hostname, and flanneld's NODE_NAME must match it exactly) of
 * at most 64 characters, since it becomes /etc/hostname (Ignition) or local-hostname (cloud-init).
 */
export function nodeNameProblem(name: string): string | undefined {
  if (name.length > 253) return 'is longer than 253 characters';
  if (name !== name.toLowerCase()) return 'has upper-case letters; Kubernetes registers nodes under lower-case names';
  for (const label of name.split('.')) {
    if (label.length > 63) return 'has a dot-separated part longer than 63 characters';
    if (!DNS_LABEL.test(label)) return "must consist of lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  if (name.length > HOSTNAME_MAX) return `is ${name.length} characters; a Linux hostname holds at most ${HOSTNAME_MAX}, and kubelet registers the node under its hostname`;
  return undefined;
}

/**
 * The cluster name: a lower-case DNS-1123 label. It names the output folder (out/<cluster>) and
 * appears in boot.ipxe, the user-data and config.bu headers and the kubeconfig, so it must be an
 * identifier: no '/', '..', spaces or line breaks that would leave the folder or start a new line.
 */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length > 63) return 'is longer than 63 characters';
  if (name !== name.toLowerCase()) return 'has upper-case letters';
  if (!DNS_LABEL.test(name)) return "must consist of lower-case letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

/**
 * A role name, with the rule of a Kubernetes label value: the manifest records it and messages
 * quote it, so it holds no spaces, line breaks, quotes or slashes.
 */
export function roleNameProblem(name: string): string | undefined {
  if (name.length > 63) return 'is longer than 63 characters';
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) return "must consist of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope'];
const UNIT_NAME = new RegExp(`^[A-Za-z0-9:_.\\\\@-]+\\.(${UNIT_TYPES.join('|')})$`);

export function unitNameProblem(name: string): string | undefined {
  if (name.length > 255) return 'is longer than 255 characters';
  if (!UNIT_NAME.test(name)) return `must be letters, digits and ':_.\\@-' with a unit type suffix (.${UNIT_TYPES.slice(0, 4).join(', .')}, ...)`;
  return undefined;
}

export function dropinNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_.@-]+\.conf$/.test(name)) return "must be a file name ending in '.conf' (letters, digits and _ . @ -)";
  return undefined;
}

/** An absolute, clean path: what Ignition and cloud-init both accept and what cannot escape its root. */
export function absolutePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'is not absolute (it must start with /)';
  if (path !== '/' && path.endsWith('/')) return 'ends with /';
  if (/\/\/|\/\.\.?(\/|$)/.test(path)) return "is not clean (it contains '//', '/./' or '/../')";
  if (/[\x00-\x1f\x7f]/.test(path)) return 'contains control characters';
  return undefined;
}
