import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../../src/diagnostics/diagnostic.ts';
import { checkFlannelRbacNames, renderFlannelRbac } from '../../../src/render/cluster/rbac.ts';

const run = promisify(execFile);

interface K8sObject {
  apiVersion: string;
  kind: string;
  type?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string; apiGroup?: string }[];
}

// kubectl must never reach for a real cluster from a test: point it at an empty config.
const kubectlEnv = { ...process.env, KUBECONFIG: '/dev/null' };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-rbac-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function objects(yamlText: string): K8sObject[] {
  return loadAll(yamlText) as K8sObject[];
}

function byKind(list: K8sObject[], kind: string): K8sObject {
  const found = list.find((o) => o.kind === kind);
  if (found === undefined) throw new Error(`no ${kind}`);
  return found;
}

/** kubectl's own offline generators are the reference shape for objects they can create. */
async function kubectlGenerate(args: string[]): Promise<K8sObject> {
  const { stdout } = await run('kubectl', ['create', ...args, '--dry-run=client', '-o', 'json'], { env: kubectlEnv });
  return JSON.parse(stdout) as K8sObject;
}

describe('renderFlannelRbac', () => {
  it('renders the five objects with upstream defaults, in apply order', () => {
    const list = objects(renderFlannelRbac());
    expect(list.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/kube-flannel',
      'ClusterRole/flannel',
      'ClusterRoleBinding/flannel',
      'ServiceAccount/flannel',
      'Secret/flannel-token',
    ]);
    expect(byKind(list, 'Namespace').metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  const grants = (role: K8sObject): string[] =>
    (role.rules ?? []).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`)))).sort();

  it('grants exactly nodes get/list/watch and nodes/status patch: flanneld given NODE_NAME never reads a pod', () => {
    const role = byKind(objects(renderFlannelRbac()), 'ClusterRole');
    expect(grants(role)).toEqual(['/nodes/status:patch', '/nodes:get', '/nodes:list', '/nodes:watch']);
  });

  it('adds upstream\'s pods get when upstreamRole asks for the DaemonSet-compatible role', () => {
    const role = byKind(objects(renderFlannelRbac({ upstreamRole: true })), 'ClusterRole');
    expect(grants(role)).toEqual(['/nodes/status:patch', '/nodes:get', '/nodes:list', '/nodes:watch', '/pods:get']);
  });

  it('annotates a service-account-token Secret for the ServiceAccount in its namespace', () => {
    const list = objects(renderFlannelRbac({ namespace: 'net', serviceAccount: 'flanneld', secretName: 'flanneld-tok' }));
    const secret = byKind(list, 'Secret');
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(secret.metadata).toMatchObject({ name: 'flanneld-tok', namespace: 'net' });
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'flanneld' });
    expect(byKind(list, 'ServiceAccount').metadata).toMatchObject({ name: 'flanneld', namespace: 'net' });
  });

  it('matches the RBAC objects of upstream kube-flannel.yml v0.28.9 when upstreamRole is set', () => {
    const block = readFileSync(join(import.meta.dirname, '../../fixtures/flannel/kube-flannel-rbac-v0.28.9.yaml'), 'utf8');
    const upstream = objects(block).filter((o) => o !== null && o !== undefined);
    const ours = objects(renderFlannelRbac({ upstreamRole: true }));
    expect(upstream.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'ServiceAccount']);
    for (const theirs of upstream) {
      const mine = byKind(ours, theirs.kind);
      expect(mine.apiVersion, theirs.kind).toBe(theirs.apiVersion);
      expect(mine.metadata, theirs.kind).toEqual(theirs.metadata);
      expect(mine.rules, theirs.kind).toEqual(theirs.rules);
      expect(mine.roleRef, theirs.kind).toEqual(theirs.roleRef);
      expect(mine.subjects, theirs.kind).toEqual(theirs.subjects);
    }
  });

  it('binds the role like kubectl create clusterrolebinding would', async () => {
    const list = objects(
      renderFlannelRbac({ namespace: 'net', serviceAccount: 'sa1', clusterRole: 'role1', clusterRoleBinding: 'bind1' }),
    );
    const binding = byKind(list, 'ClusterRoleBinding');
    const reference = await kubectlGenerate(['clusterrolebinding', 'bind1', '--clusterrole=role1', '--serviceaccount=net:sa1']);
    expect(binding.apiVersion).toBe(reference.apiVersion);
    expect(binding.metadata.name).toBe(reference.metadata.name);
    expect(binding.roleRef).toEqual(reference.roleRef);
    expect(binding.subjects).toEqual(reference.subjects);
  });

  it('adds a User subject for a client certificate like kubectl create clusterrolebinding --user', async () => {
    const binding = byKind(objects(renderFlannelRbac({ clientCertificateUser: 'flannel-client' })), 'ClusterRoleBinding');
    const reference = await kubectlGenerate([
      'clusterrolebinding', 'flannel', '--clusterrole=flannel', '--serviceaccount=kube-flannel:flannel', '--user=flannel-client',
    ]);
    const key = (s: { kind: string; name: string }): string => `${s.kind}/${s.name}`;
    expect([...(binding.subjects ?? [])].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...(reference.subjects ?? [])].sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  it('matches kubectl create namespace and serviceaccount for apiVersion and placement', async () => {
    const list = objects(renderFlannelRbac());
    const ns = await kubectlGenerate(['namespace', 'kube-flannel']);
    const sa = await kubectlGenerate(['serviceaccount', 'flannel', '--namespace=kube-flannel']);
    expect(byKind(list, 'Namespace')).toMatchObject({ apiVersion: ns.apiVersion, metadata: { name: ns.metadata.name } });
    expect(byKind(list, 'ServiceAccount')).toMatchObject({
      apiVersion: sa.apiVersion,
      metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace },
    });
  });

  it('is accepted by kubectl kustomize, which parses every document offline', async () => {
    // `kubectl apply/create --dry-run=client` need API discovery (a live server), so they cannot run
    // offline; kustomize's resource loader is the real kubectl parser that can.
    const sub = mkdtempSync(join(dir, 'kz-'));
    writeFileSync(join(sub, 'rbac.yaml'), renderFlannelRbac());
    writeFileSync(join(sub, 'kustomization.yaml'), 'resources:\n- rbac.yaml\n');
    const { stdout } = await run('kubectl', ['kustomize', sub], { env: kubectlEnv });
    const names = objects(stdout).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).toEqual(
      ['ClusterRole/flannel', 'ClusterRoleBinding/flannel', 'Namespace/kube-flannel', 'Secret/flannel-token', 'ServiceAccount/flannel'],
    );
  });

  it('is byte-for-byte deterministic', () => {
    expect(renderFlannelRbac({ namespace: 'a' })).toBe(renderFlannelRbac({ namespace: 'a' }));
  });

  it('throws a DiagnosticError listing every invalid name', () => {
    let caught: unknown;
    try {
      renderFlannelRbac({ namespace: 'Kube_Flannel', secretName: 'bad name', serviceAccount: '-x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DiagnosticError);
    expect((caught as DiagnosticError).diagnostics.map((d) => d.path?.[0])).toEqual(['namespace', 'serviceAccount', 'secretName']);
  });

  it('reports a multi-line client certificate user', () => {
    expect(checkFlannelRbacNames({ clientCertificateUser: 'a\nb' }).map((d) => d.code)).toEqual(['schema/pattern']);
  });
});
