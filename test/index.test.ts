/** kindling's public entry offers every command's work as a call, so a program needs no CLI to do it. */
import { describe, expect, it } from 'vitest';
import * as kindling from '../src/index.ts';
import { exampleProject } from './helpers/project.ts';

describe('the public API', () => {
  it('exports the calls behind kindling lock, kubeconfig, rbac, diff and serve', () => {
    const calls = ['loadLockRequest', 'runLockRequest', 'lockfilePathFor', 'assembleKubeconfig', 'writeSecretFile', 'flannelRbacManifest', 'diffProject', 'serveOutput', 'parseListenAddress'] as const;
    expect(calls.filter((name) => typeof (kindling as Record<string, unknown>)[name] !== 'function')).toEqual([]);
  });

  it('lets a library caller share one BuildContext across the nodes it builds, with the output of fresh contexts', () => {
    const project = kindling.loadProject(exampleProject(), { env: {} }).project!;
    const context = new kindling.BuildContext();
    const shared = project.nodes.map((node) => kindling.buildNode(project, node, context).build!.artifacts.map((a) => a.data));
    const fresh = project.nodes.map((node) => kindling.buildNode(project, node).build!.artifacts.map((a) => a.data));
    expect(shared).toEqual(fresh);
  });

  it('answers through the entry module as the CLI does: the rbac objects of the example', () => {
    const { yaml, diagnostics } = kindling.flannelRbacManifest(exampleProject());
    expect(kindling.hasErrors(diagnostics)).toBe(false);
    expect(yaml).toMatch(/^kind: Namespace$/m);
  });
});
