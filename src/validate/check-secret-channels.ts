/**
 * Warns when flanneld's credential (every node's kubeconfig carries a token or client key) would
 * travel through a channel documented as unprotected:
 *
 * - Azure customData: Microsoft's API reference says "Do not pass any secrets or passwords in
 *   customData" (reference/pxe-cloud-init.md §1, §6) — it is readable from the VM's metadata.
 * - A plain-http publish URL: PXE kernel arguments point Ignition (`ignition.config.url`) and
 *   cloud-init (`ds=nocloud-net;s=...`) at it, so the config and the kubeconfig inside it cross the
 *   network unencrypted and can be fetched by anyone who can reach the server.
 *
 * Warnings, not errors: a lab on an isolated network may accept the risk (and `--strict` refuses it).
 * One warning per place the setting is written, not per node, so a 10,000-node fleet stays readable.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import type { Located, ValidatedProfile } from './validate-profile.ts';
import type { NodeDoc } from './profile-types.ts';

export interface SecretChannelNode {
  readonly name: string;
  readonly platform: string;
}

const ALTERNATIVE =
  'serve the kubeconfig from an authenticated https URL that the config fetches with Ignition http_headers ' +
  '(a remote file source), or deliver it after boot (e.g. push it over SSH or a bootstrap token)';

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** Where a node's `platform` comes from: the node, its role, or the cluster defaults. */
function platformSource(profile: ValidatedProfile, node: Located<NodeDoc> | undefined): { key: string; location?: SourceLocation } {
  const nodeName = node?.value.name ?? '';
  if (node?.value.platform !== undefined) return { key: `node:${nodeName}`, location: node.doc.locate(['platform']) };
  const role = node?.value.role === undefined ? undefined : profile.roles.get(node.value.role);
  if (role?.value.platform !== undefined) return { key: `role:${role.value.name}`, location: role.doc.locate(['platform']) };
  return { key: 'defaults', location: profile.cluster.doc.locate(['defaults', 'platform']) };
}

export function checkSecretChannels(profile: ValidatedProfile, nodes: readonly SecretChannelNode[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];

  const azureBySource = new Map<string, { location?: SourceLocation; names: string[] }>();
  let docs: Map<string, Located<NodeDoc>> | undefined;
  for (const node of nodes) {
    if (node.platform !== 'azure') continue;
    docs ??= new Map(profile.nodes.map((n) => [n.value.name, n]));
    const source = platformSource(profile, docs.get(node.name));
    const group = azureBySource.get(source.key) ?? { ...(source.location ? { location: source.location } : {}), names: [] };
    group.names.push(node.name);
    azureBySource.set(source.key, group);
  }
  for (const { location, names } of azureBySource.values()) {
    diagnostics.push({
      code: 'secret/unprotected-channel',
      severity: 'warning',
      message: `flanneld's credential would be delivered in Azure customData, which Microsoft documents as unprotected ("do not pass any secrets"), for ${names.length === 1 ? 'node' : `${names.length} nodes:`} ${listNames(names)}`,
      hint: ALTERNATIVE,
      ...(location ? { location } : {}),
    });
  }

  const publishURL = profile.cluster.value.delivery?.publishURL;
  if (publishURL !== undefined && /^http:/i.test(publishURL)) {
    diagnostics.push({
      code: 'secret/unprotected-channel',
      severity: 'warning',
      message: 'delivery.publishURL is plain http: PXE-booted nodes fetch their config, with the kubeconfig and its credential inside, unencrypted and unauthenticated',
      hint: `publish over https (Ignition and cloud-init verify it), or ${ALTERNATIVE}`,
      location: profile.cluster.doc.locate(['delivery', 'publishURL']),
      path: ['delivery', 'publishURL'],
    });
  }
  return diagnostics;
}
