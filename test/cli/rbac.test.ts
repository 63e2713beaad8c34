/** `kindling rbac`: the cluster-side objects, named from the profile, in a form kubectl reads. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAll } from 'js-yaml';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const run = promisify(execFile);
// kubectl must never reach for a real cluster from a test: an empty config, and --local below.
const kubectlEnv = { ...process.env, KUBECONFIG: '/dev/null' };

interface K8sObject {
  apiVersion: string;
  kind: string;
  type?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** The real kubectl parses the YAML offline (`label --local` decodes every object without a server). */
async function kubectlRead(yaml: string): Promise<K8sObject[]> {
  const child = run('kubectl', ['label', '--local', '-f', '-', '-o', 'json', 'kindling-test=read'], { env: kubectlEnv });
  child.child.stdin?.end(yaml);
  const { stdout } = await child;
  // One pretty-printed JSON object per input object, back to back: only top-level braces sit in column 0.
  return JSON.parse(`[${stdout.trim().replace(/\n}\n{/g, '\n},\n{')}]`) as K8sObject[];
}

const withRbac = (block: string) =>
  exampleProject({ 'cluster.yaml': replaceOnce('  apiServer: https://10.0.0.10:6443\n', `  apiServer: https://10.0.0.10:6443\n  rbac:\n${block}`) });

describe('kindling rbac', () => {
  it('prints the Namespace, ClusterRole, binding, ServiceAccount and token Secret that kubectl reads', async () => {
    const cli = await runCli(['rbac', exampleProject()]);
    expect(cli.status).toBe(0);
    expect(cli.stderr).toBe('');
    const objects = await kubectlRead(cli.stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/kube-flannel',
      'ClusterRole/flannel',
      'ClusterRoleBinding/flannel',
      'ServiceAccount/flannel',
      'Secret/flannel-token',
    ]);
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(secret?.type).toBe('kubernetes.io/service-account-token');
    expect(secret?.metadata.annotations?.['kubernetes.io/service-account.name']).toBe('flannel');
    expect(objects[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('takes every name from kubernetes.rbac in the cluster profile', async () => {
    const dir = withRbac('    namespace: net-system\n    serviceAccount: flanneld\n    clusterRole: flannel-node\n    clusterRoleBinding: flannel-node-binding\n    secretName: flanneld-token\n');
    const cli = await runCli(['rbac', dir]);
    expect(cli.status).toBe(0);
    const objects = await kubectlRead(cli.stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//net-system',
      'ClusterRole//flannel-node',
      'ClusterRoleBinding//flannel-node-binding',
      'ServiceAccount/net-system/flanneld',
      'Secret/net-system/flanneld-token',
    ]);
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding');
    expect(binding?.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'flannel-node' });
    expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flanneld', namespace: 'net-system' }]);
    expect(objects.find((o) => o.kind === 'Secret')?.metadata.annotations?.['kubernetes.io/service-account.name']).toBe('flanneld');
  });

  it('rejects a name Kubernetes would refuse, pointing at the profile line', async () => {
    const dir = withRbac('    namespace: Kube_Flannel\n    secretName: -token\n');
    const cli = await runCli(['rbac', dir]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(/cluster\.yaml:12:16: error .*namespace.*\[schema\/pattern\]/);
    expect(cli.stderr).toMatch(/cluster\.yaml:13:17: error .*secretName.*\[schema\/pattern\]/);
  });

  it('writes the YAML to --output and nothing to stdout', async () => {
    const file = join(tempDir(), 'flannel-rbac.yaml');
    const cli = await runCli(['rbac', exampleProject(), '--output', file]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe('');
    const objects = await kubectlRead(readFileSync(file, 'utf8'));
    expect(objects).toHaveLength(5);
  });

  it('reports JSON with --format json: the same objects as the YAML, and the (here empty) diagnostics', async () => {
    const dir = exampleProject();
    const yaml = await runCli(['rbac', dir]);
    const json = await runCli(['rbac', dir, '--format', 'json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; objects: { kind: string; metadata: { name: string } }[]; diagnostics: { code: string }[] };
    expect(report.ok).toBe(true);
    expect(report.objects).toEqual(loadAll(yaml.stdout));
    expect(report.diagnostics).toEqual([]);
  });

  it('reports errors as JSON too, with no objects and exit 1', async () => {
    const cli = await runCli(['rbac', exampleProject({ 'cluster.yaml': replaceOnce('name: lab', 'name: Lab') }), '--format', 'json']);
    expect(cli.status).toBe(1);
    const report = JSON.parse(cli.stdout) as { ok: boolean; objects: unknown[]; diagnostics: { code: string }[] };
    expect(report).toMatchObject({ ok: false, objects: [] });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['cluster/invalid-name']);
  });

  it('fails with exit 1 on a directory without profiles', async () => {
    const cli = await runCli(['rbac', tempDir()]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('');
  });
});
