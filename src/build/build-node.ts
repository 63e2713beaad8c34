/**
 * plan → render → pack for one node (pure): the files that go into out/<cluster>/nodes/<node>/
 * (and the node's PXE entries under out/<cluster>/pxe/), plus the delivery facts the manifest
 * records for it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { acknowledgementsOf, applyAcknowledgements } from '../diagnostics/acknowledge.ts';
import type { Project, ResolvedNode } from '../resolve/project-model.ts';
import { planNode } from '../plan/plan-node.ts';
import type { NodePlan } from '../plan/node-plan.ts';
import { templateRenderer } from '../plan/templates.ts';
import { renderCloudInit } from '../render/cloud-init/cloud-config.ts';
import { renderNetworkConfig } from '../render/cloud-init/network-config.ts';
import { checkCloudInitUnits } from '../render/cloud-init/check-units.ts';
import { butaneDocument, butaneText } from '../render/node-butane/butane-config.ts';
import { translateNodeButane } from '../render/node-butane/translate-node.ts';
import { isClusterPxeFile, renderPxe } from '../render/pxe/index.ts';
import { flatcarInstaller } from '../render/install/flatcar-installer.ts';
import { renderAutoinstall } from '../render/install/autoinstall.ts';
import { packNoCloudSeedWithDigest } from '../pack/nocloud-seed.ts';
import { packIgnitionInitrd } from '../pack/ignition-initrd.ts';
import { checkBudget, type DeliveredForm } from '../delivery/size-budget.ts';
import { deliveryFacts, type NodeDeliveryFacts } from '../delivery/delivery-facts.ts';
import { nodeFolder } from '../delivery/output-layout.ts';
import { BuildContext, contextTable } from './build-context.ts';
import { PackMemory } from '../pack/pack-memory.ts';

/** The packers' layouts for this build (seed metadata, initrd archives). */
const PACK_MEMORY = contextTable('pack layouts', () => new PackMemory());

export type ArtifactKind =
  | 'user-data'
  | 'meta-data'
  | 'network-config'
  | 'nocloud-seed'
  | 'butane'
  | 'ignition'
  | 'ignition-pointer'
  | 'ignition-initrd'
  | 'ignition-installer'
  | 'autoinstall-user-data'
  | 'autoinstall-meta-data'
  | 'ipxe'
  | 'grub'
  | 'pxelinux';

export interface NodeArtifact {
  /** File name inside the node's folder. */
  readonly name: string;
  /** Path relative to out/<cluster>/ when the file lives outside the node's folder (PXE entries). */
  readonly path?: string;
  readonly kind: ArtifactKind;
  readonly data: string | Uint8Array;
  /** Holds a credential: written 0600 in a 0700 folder, never printed. */
  readonly secret: boolean;
  /** SHA-256 (hex) of `data` as UTF-8 bytes, when the stage that made it already computed it. */
  readonly sha256?: string;
  /** `data` as UTF-8 bytes, when a stage already encoded it (the writer then does not again). */
  readonly bytes?: Uint8Array;
}

export interface NodeBuild {
  readonly node: ResolvedNode;
  readonly plan: NodePlan;
  readonly artifacts: readonly NodeArtifact[];
  /** How the platform gets the config, and what a provisioner passes (manifest.json). */
  readonly delivery: NodeDeliveryFacts & { readonly form: DeliveredForm };
}

/**
 * `context` is what the build remembers between its nodes: pass the same one for every node of a
 * build (and only of that project). Without one, the node is built alone, with the same result.
 */
export function buildNode(project: Project, node: ResolvedNode, context = new BuildContext()): { build?: NodeBuild; diagnostics: Diagnostic[] } {
  const planned = planNode(project, node, context);
  if (!planned.plan) return { diagnostics: planned.diagnostics };
  const plan = planned.plan;
  const diagnostics = [...planned.diagnostics];
  const artifacts: NodeArtifact[] = [];
  const publishURL = project.cluster.publishURL;
  let form: DeliveredForm = 'as-is';
  let pointer = false;

  if (node.os === 'cloud-init') {
    diagnostics.push(...checkCloudInitUnits(plan, context));
    const out = renderCloudInit(plan, templateRenderer(project.templates, context), context);
    const networkConfig = renderNetworkConfig(node);
    const userData = out.userDataBytes;
    const metaData = Buffer.from(out.metaData, 'utf8');
    const budget = checkBudget({ node, kind: 'user-data', payload: userData, ...(publishURL ? { publishURL } : {}) });
    diagnostics.push(...budget.diagnostics);
    form = budget.delivered?.form ?? 'as-is';
    // Over budget, user-data itself becomes the gzip form: what the platform field takes (cloud-init decompresses it).
    artifacts.push(
      form === 'gzip'
        ? { name: 'user-data', kind: 'user-data', data: budget.delivered!.data, secret: true }
        : { name: 'user-data', kind: 'user-data', data: out.userData, bytes: userData, secret: true, sha256: out.userDataSha256 },
    );
    artifacts.push({ name: 'meta-data', kind: 'meta-data', data: out.metaData, bytes: metaData, secret: false });
    if (networkConfig !== undefined) artifacts.push({ name: 'network-config', kind: 'network-config', data: networkConfig, secret: false });
    const seed = packNoCloudSeedWithDigest(
      {
        'user-data': userData,
        'meta-data': metaData,
        ...(networkConfig !== undefined ? { 'network-config': Buffer.from(networkConfig, 'utf8') } : {}),
      },
      context.table(PACK_MEMORY),
    );
    artifacts.push({ name: 'seed.iso', kind: 'nocloud-seed', data: seed.image, secret: true, sha256: seed.sha256 });
    if (node.install) {
      // Ubuntu's installer reads the seed autoinstall/; its user-data carries the node's own (plain) cloud-config, with the kubeconfig.
      const autoinstall = renderAutoinstall(node, node.install, out.userData);
      diagnostics.push(...autoinstall.diagnostics);
      for (const file of autoinstall.files) artifacts.push({ ...file, secret: true });
    }
  } else {
    const document = butaneDocument(plan, context);
    const text = butaneText(plan, document, context);
    artifacts.push({ name: 'config.bu', kind: 'butane', data: text, secret: true });
    const translated = translateNodeButane(document, text, plan, context);
    diagnostics.push(...translated.diagnostics);
    if (translated.ignition !== undefined) {
      const ignition = Buffer.from(translated.ignition, 'utf8');
      artifacts.push({ name: 'config.ign', kind: 'ignition', data: translated.ignition, bytes: ignition, secret: true });
      if (node.os === 'flatcar' && node.install && publishURL) {
        // The installer the PXE image boots: it fetches config.ign and checks it against these exact bytes.
        const installer = flatcarInstaller(node, node.install, ignition, publishURL);
        diagnostics.push(...installer.diagnostics);
        if (installer.ignition !== undefined) artifacts.push({ name: 'install.ign', kind: 'ignition-installer', data: installer.ignition, secret: false });
      }
      artifacts.push({ name: 'ignition.img', kind: 'ignition-initrd', data: packIgnitionInitrd(ignition, node.os === 'fcos' ? 'fcos' : 'flatcar', context.table(PACK_MEMORY)), secret: true });
      const budget = checkBudget({ node, kind: 'ignition', payload: ignition, ...(publishURL ? { publishURL } : {}) });
      diagnostics.push(...budget.diagnostics);
      form = budget.delivered?.form ?? 'as-is';
      if (form === 'pointer') {
        pointer = true;
        artifacts.push({ name: 'pointer.ign', kind: 'ignition-pointer', data: budget.delivered!.data, secret: false });
      }
    }
  }

  const pxe = renderPxe(project.cluster, [node]);
  diagnostics.push(...pxe.diagnostics);
  for (const file of pxe.files) {
    if (isClusterPxeFile(file.path)) continue; // shared by all nodes: written once by the build
    const kind: ArtifactKind = file.path.startsWith('pxe/grub/') ? 'grub' : file.path.startsWith('pxe/pxelinux.cfg/') ? 'pxelinux' : 'ipxe';
    artifacts.push({ name: file.path.slice(file.path.lastIndexOf('/') + 1), path: file.path, kind, data: file.data, secret: false });
  }

  const facts = deliveryFacts(node, artifacts.filter((a) => a.path === undefined).map((a) => a.name), publishURL, pxe.loaders);
  const wrotePxe = artifacts.some((a) => a.path !== undefined);
  const delivery = { ...facts, ...(pointer ? { config: `${nodeFolder(node.name)}/pointer.ign` } : {}), pxe: wrotePxe ? facts.pxe : [], form };
  applyAcknowledgements(diagnostics, acknowledgementsOf(project.cluster.acknowledge));
  return { build: { node, plan, artifacts, delivery }, diagnostics };
}
