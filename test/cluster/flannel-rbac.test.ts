/** The cluster-side objects for a profile directory as a library call: YAML, or located errors. */
import { describe, expect, it } from 'vitest';
import { flannelRbacManifest } from '../../src/cluster/flannel-rbac.ts';
import { renderFlannelRbac } from '../../src/render/cluster/rbac.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const withRbac = (block: string) =>
  exampleProject({ 'cluster.yaml': replaceOnce('  apiServer: https://10.0.0.10:6443\n', `  apiServer: https://10.0.0.10:6443\n  rbac:\n${block}`) });

describe('flannelRbacManifest', () => {
  it('renders the default objects for a profile without kubernetes.rbac', () => {
    const result = flannelRbacManifest(exampleProject());
    expect(result.yaml).toBe(renderFlannelRbac({}));
    expect(result.diagnostics.map((d) => d.severity)).not.toContain('error');
  });

  it('takes every name from kubernetes.rbac in the cluster profile', () => {
    const result = flannelRbacManifest(withRbac('    namespace: net-system\n    serviceAccount: flanneld\n'));
    expect(result.yaml).toBe(renderFlannelRbac({ namespace: 'net-system', serviceAccount: 'flanneld' }));
  });

  it('asks for upstream\'s ClusterRole (with pods get) through kubernetes.rbac.upstreamRole', () => {
    const result = flannelRbacManifest(withRbac('    upstreamRole: true\n'));
    expect(result.diagnostics.map((d) => d.severity)).not.toContain('error');
    expect(result.yaml).toBe(renderFlannelRbac({ upstreamRole: true }));
    expect(result.yaml).toContain("resources:\n      - pods\n");
  });

  it('returns no YAML and located errors for a name Kubernetes would refuse', () => {
    const result = flannelRbacManifest(withRbac('    namespace: Kube_Flannel\n'));
    expect(result.yaml).toBeUndefined();
    const error = result.diagnostics.find((d) => d.severity === 'error');
    expect(error?.code).toBe('schema/pattern');
    expect(error?.location).toMatchObject({ file: expect.stringMatching(/cluster\.yaml$/), line: 12, column: 16 });
  });

  it('returns no YAML for a directory without profiles', () => {
    const result = flannelRbacManifest(tempDir());
    expect(result.yaml).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
