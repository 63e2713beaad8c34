/**
 * Warns when flanneld's credential (every node's kubeconfig carries a token or client key) would
 * travel through a channel documented as unprotected:
 *
 * - Azure customData: Microsoft's API reference says "Do not pass any secrets or passwords in
 *   customData" — it is readable from the VM's metadata.
 * - A plain-http publish URL: PXE kernel arguments point Ignition (`ignition.config.url`) and
 *   cloud-init (`ds=nocloud-net;s=...`) at it, so the config and the kubeconfig inside it cross the
 *   network unencrypted and can be fetched by anyone who can reach the server.
 *
 * Warnings, not errors: a lab on an isolated network may accept the risk (and `--strict` refuses it).
 * One warning per place the setting is written, not per node, so a 10,000-node fleet stays readable.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import type { Located } from './located.ts';
import type { ValidatedProfile } from './validate-profile.ts';
import type { NodeDoc } from './profile-types.ts';

const ALTERNATIVE =
  'serve the kubeconfig from an authenticated https URL that the config fetches with Ignition http_headers ' +
  '(a remote file source), or deliver it after boot (e.g. push it over SSH or a bootstrap token)';

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** A node's platform and where it is written: the node, its role, or the cluster defaults (as resolve merges them). */
// The location is looked up only for the nodes that warn: locating is a YAML walk, and fleets are large.
function platformOf(profile: ValidatedProfile, node: Located<NodeDoc>): { platform: string; key: string; locate: () => SourceLocation } {
  if (node.value.platform !== undefined) return { platform: node.value.platform, key: `node:${node.value.name}`, locate: () => node.doc.locate(['platform']) };
  const role = node.value.role === undefined ? undefined : profile.roles.get(node.value.role);
  if (role?.value.platform !== undefined) return { platform: role.value.platform, key: `role:${role.value.name}`, locate: () => role.doc.locate(['platform']) };
  const defaults = profile.cluster.value.defaults?.platform;
  return { platform: defaults ?? 'metal', key: 'defaults', locate: () => profile.cluster.doc.locate(['defaults', 'platform']) };
}

/**
 * Works on the validated documents, not on resolved nodes, so the warning is there even when
 * another problem (an unpinned download, a missing secret) stops the nodes from resolving.
 */
export function checkSecretChannels(profile: ValidatedProfile, nodes: readonly Located<NodeDoc>[] = profile.nodes): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];

  const azureBySource = new Map<string, { location: SourceLocation; names: string[] }>();
  for (const node of nodes) {
    const source = platformOf(profile, node);
    if (source.platform !== 'azure') continue;
    const group = azureBySource.get(source.key) ?? { location: source.locate(), names: [] };
    group.names.push(node.value.name);
    azureBySource.set(source.key, group);
  }
  for (const { location, names } of azureBySource.values()) {
    diagnostics.push({
      code: 'secret/unprotected-channel',
      severity: 'warning',
      message: `flanneld's credential would be delivered in Azure customData, which Microsoft documents as unprotected ("do not pass any secrets"), for ${names.length === 1 ? 'node' : `${names.length} nodes:`} ${listNames(names)}`,
      hint: ALTERNATIVE,
      location,
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
