/**
 * A node's `install` block: defaults < role < node, key by key (and `flatcar` key by key inside),
 * so a role can name the disk and one node can pin another Flatcar version.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { InstallSpec, OsName } from '../validate/profile-types.ts';
import type { Layer } from './merge-settings.ts';
import type { ResolvedInstall } from './project-model.ts';

export function resolveInstall(
  layers: readonly Layer[],
  node: { readonly name: string; readonly os: OsName },
  publishURL: string | undefined,
  diagnostics: Diagnostic[],
): { install?: ResolvedInstall } {
  let disk: string | undefined;
  let flatcar: NonNullable<InstallSpec['flatcar']> = {};
  let last: Layer | undefined;
  let flatcarAt: Layer | undefined;
  for (const layer of layers) {
    const spec = layer.settings.install;
    if (!spec) continue;
    last = layer;
    if (spec.disk !== undefined) disk = spec.disk;
    if (spec.flatcar) {
      flatcar = { ...flatcar, ...spec.flatcar };
      flatcarAt = layer;
    }
  }
  if (!last) return {};
  const origin = last.doc.locate([...last.base, 'install']);
  if (disk === undefined) {
    diagnostics.push({
      code: 'install/no-disk',
      severity: 'error',
      message: `node '${node.name}' installs to disk, but no layer of its install block names the disk`,
      hint: 'add install.disk (e.g. /dev/sda) to the node, its role or the cluster defaults',
      location: origin,
    });
    return {};
  }
  if (publishURL === undefined) {
    // Every install path fetches the node's own config over the network: without a URL there is none.
    diagnostics.push({
      code: 'install/needs-publish-url',
      severity: 'error',
      message: `node '${node.name}' installs to disk, but the cluster has no delivery.publishURL`,
      hint: 'set delivery.publishURL to where out/<cluster>/ is served: the installer fetches the node\'s config from there',
      location: origin,
    });
    return {};
  }
  // Defaults and roles may be shared by nodes of several OSes; only the node's own block is a mistake.
  if (flatcarAt && flatcarAt === layers[layers.length - 1] && node.os !== 'flatcar') {
    diagnostics.push({
      code: 'install/not-flatcar',
      severity: 'warning',
      message: `install.flatcar has no effect on node '${node.name}', which runs ${node.os}`,
      hint: 'move install.flatcar to the role or nodes that run flatcar',
      location: flatcarAt.doc.locate([...flatcarAt.base, 'install', 'flatcar'], 'key'),
    });
  }
  return {
    install: {
      disk,
      flatcar: { channel: flatcar.channel ?? 'stable', version: flatcar.version ?? 'current', ...(flatcar.baseURL ? { baseURL: flatcar.baseURL } : {}) },
      origin,
    },
  };
}
