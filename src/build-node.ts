/**
 * plan → render for one node (pure): the files that go into out/<cluster>/nodes/<node>/.
 */
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import type { Project, ResolvedNode } from './resolve/project-model.ts';
import { planNode } from './plan/plan-node.ts';
import type { NodePlan } from './plan/node-plan.ts';
import { templateRenderer } from './plan/templates.ts';
import { renderCloudInit } from './render/cloud-init/cloud-config.ts';
import { butaneDocument, butaneText } from './render/node-butane/butane-config.ts';
import { translateNodeButane } from './render/node-butane/translate-node.ts';

export type ArtifactKind = 'user-data' | 'meta-data' | 'butane' | 'ignition';

export interface NodeArtifact {
  /** File name inside the node's folder. */
  readonly name: string;
  readonly kind: ArtifactKind;
  readonly data: string | Uint8Array;
  /** Holds a credential: written 0600 in a 0700 folder, never printed. */
  readonly secret: boolean;
}

export interface NodeBuild {
  readonly node: ResolvedNode;
  readonly plan: NodePlan;
  readonly artifacts: readonly NodeArtifact[];
}

export function buildNode(project: Project, node: ResolvedNode): { build?: NodeBuild; diagnostics: Diagnostic[] } {
  const planned = planNode(project, node);
  if (!planned.plan) return { diagnostics: planned.diagnostics };
  const plan = planned.plan;
  const diagnostics = [...planned.diagnostics];
  const artifacts: NodeArtifact[] = [];
  if (node.os === 'cloud-init') {
    const out = renderCloudInit(plan, templateRenderer(project.templates));
    artifacts.push({ name: 'user-data', kind: 'user-data', data: out.userData, secret: true });
    artifacts.push({ name: 'meta-data', kind: 'meta-data', data: out.metaData, secret: false });
  } else {
    const document = butaneDocument(plan);
    const text = butaneText(plan, document);
    artifacts.push({ name: 'config.bu', kind: 'butane', data: text, secret: true });
    const translated = translateNodeButane(document, text, plan);
    diagnostics.push(...translated.diagnostics);
    if (translated.ignition !== undefined) artifacts.push({ name: 'config.ign', kind: 'ignition', data: translated.ignition, secret: true });
  }
  return { build: { node, plan, artifacts }, diagnostics };
}
