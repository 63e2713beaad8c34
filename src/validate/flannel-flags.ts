/**
 * Extra flanneld flags from profiles. Go's flag package stops parsing at the first non-flag token and
 * flanneld ignores the rest silently, so every flag must be a single `--name` or `--name=value`
 * token; flags kindling sets itself are refused so the two cannot disagree.
 */

const MANAGED = new Map<string, string>([
  ['kube-subnet-mgr', 'always set by kindling'],
  ['kubeconfig-file', 'always set by kindling'],
  ['net-config-path', 'always set by kindling'],
  ['subnet-file', 'always set by kindling'],
  ['iface', "set the node's `interface` instead"],
  ['public-ip', "set the node's `ip` instead"],
  ['public-ipv6', "set the node's `ipv6` instead"],
  ['ip-masq', 'set `flannel.ipMasq` instead'],
  ['healthz-ip', 'set `flannel.healthz.address` instead'],
  ['healthz-port', 'set `flannel.healthz.port` instead'],
]);

export function flagProblem(arg: string): { message: string; hint: string } | undefined {
  const single = /^-([a-z0-9][a-z0-9._-]*)(=.*)?$/s.exec(arg);
  if (single) {
    // Go's flag package would take it, but one spelling keeps flags comparable (and findable) across profiles.
    return { message: `'${arg}' has a single dash`, hint: `write it as --${single[1]}${single[2] ?? ''}` };
  }
  const match = /^--([a-z0-9][a-z0-9._-]*)(=(.*))?$/s.exec(arg);
  if (!match) {
    return { message: `'${arg}' is not a flag of the form --name=value`, hint: 'write each flag as one item, e.g. --v=2 (never "--name value")' };
  }
  const name = match[1]!;
  const managed = MANAGED.get(name);
  if (managed) return { message: `--${name} is managed by kindling`, hint: managed };
  const value = match[3] ?? '';
  if (/[\x00-\x1f\x7f]/.test(value)) return { message: `the value of --${name} contains control characters`, hint: 'remove line breaks and tabs' };
  return undefined;
}
