/**
 * Kubernetes object-name rules (apimachinery validation.IsDNS1123Label / IsDNS1123Subdomain).
 * Names reach YAML that an administrator applies with cluster-admin rights, so they are checked
 * before rendering rather than trusted.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A lower-case RFC 1123 label: at most 63 characters of [a-z0-9-], alphanumeric at both ends (Namespace names). */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** A lower-case RFC 1123 subdomain: dot-separated labels, at most 253 characters (ServiceAccount, Secret, RBAC names). */
export function isDns1123Subdomain(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  // Each dot-separated part must match the label pattern (length per part is not limited to 63 here, as in apimachinery).
  return name.split('.').every((part) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(part));
}
