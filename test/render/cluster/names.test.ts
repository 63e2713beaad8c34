import { describe, expect, it } from 'vitest';
import { isDns1123Label, isDns1123Subdomain } from '../../../src/render/cluster/names.ts';

describe('DNS-1123 names', () => {
  it('accepts labels and subdomains the Kubernetes API accepts', () => {
    expect(isDns1123Label('kube-flannel')).toBe(true);
    expect(isDns1123Label('a'.repeat(63))).toBe(true);
    expect(isDns1123Subdomain('flannel.io-token')).toBe(true);
  });

  it('rejects upper case, underscores, edge hyphens, dots in labels and over-long names', () => {
    for (const bad of ['Flannel', 'kube_flannel', '-flannel', 'flannel-', 'a.b', '', 'a'.repeat(64)]) {
      expect(isDns1123Label(bad), bad).toBe(false);
    }
    for (const bad of ['a..b', '.a', 'a.', 'A.b', 'a'.repeat(254)]) {
      expect(isDns1123Subdomain(bad), bad).toBe(false);
    }
  });
});
