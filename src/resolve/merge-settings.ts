/**
 * How a node's settings are assembled from three layers: cluster `defaults`, then the node's role,
 * then the node itself. The rules (documented in the README):
 *
 * - scalars: the later layer wins;
 * - maps (`ignition`, `flannel`, `flannel.healthz`, `monitoring.flannel`): merged key by key,
 *   recursively — except that `monitoring.flannel`'s `listen` and `textfileDir` are one choice: a
 *   layer that sets either replaces both;
 * - keyed lists merge by key — `files` by `path`, `units` by `name`, `users` by `name`: an entry in a
 *   later layer replaces the earlier entry with the same key whole, new keys are appended;
 * - every other list (`extraArgs`, `macs`, `sshAuthorizedKeys`, `groups`) is replaced whole.
 *
 * Each list entry remembers which document and path it came from, for diagnostics.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { DocPath, ParsedDocument } from '../parse/parse-document.ts';
import type { FileSpec, FlannelMonitoringSpec, NodeFlannelSpec, NodeSettings, UnitSpec, UserSpec } from '../validate/profile-types.ts';

export interface Layer {
  readonly settings: NodeSettings;
  readonly doc: ParsedDocument;
  readonly base: DocPath;
}

export interface Sourced<T> {
  readonly value: T;
  readonly origin: SourceLocation;
  readonly doc: ParsedDocument;
  readonly path: DocPath;
}

export interface MergedSettings {
  readonly scalars: Pick<NodeSettings, 'os' | 'arch' | 'interface' | 'platform'>;
  readonly ignitionVersion?: NonNullable<NodeSettings['ignition']>['version'];
  readonly flannel: NodeFlannelSpec;
  readonly flannelMonitoring: FlannelMonitoringSpec;
  readonly files: Sourced<FileSpec>[];
  readonly units: Sourced<UnitSpec>[];
  readonly users: Sourced<UserSpec>[];
}

export function mergeSettings(layers: readonly Layer[]): MergedSettings {
  const scalars: MergedSettings['scalars'] = {};
  let ignitionVersion: MergedSettings['ignitionVersion'];
  let flannel: NodeFlannelSpec = {};
  let flannelMonitoring: FlannelMonitoringSpec = {};
  const files = new Map<string, Sourced<FileSpec>>();
  const units = new Map<string, Sourced<UnitSpec>>();
  const users = new Map<string, Sourced<UserSpec>>();

  for (const { settings, doc, base } of layers) {
    for (const key of ['os', 'arch', 'interface', 'platform'] as const) {
      if (settings[key] !== undefined) (scalars as Record<string, unknown>)[key] = settings[key];
    }
    if (settings.ignition?.version !== undefined) ignitionVersion = settings.ignition.version;
    if (settings.flannel) {
      flannel = {
        ...flannel,
        ...settings.flannel,
        ...(settings.flannel.healthz || flannel.healthz ? { healthz: { ...flannel.healthz, ...settings.flannel.healthz } } : {}),
      };
    }
    const monitoring = settings.monitoring?.flannel;
    if (monitoring) {
      const { listen: _listen, textfileDir: _textfileDir, ...kept } = flannelMonitoring;
      flannelMonitoring = { ...(monitoring.listen !== undefined || monitoring.textfileDir !== undefined ? kept : flannelMonitoring), ...monitoring };
    }
    const keyed = <T>(list: T[] | undefined, field: 'files' | 'units' | 'users', into: Map<string, Sourced<T>>, key: (item: T) => string): void => {
      list?.forEach((value, i) => {
        const path = [...base, field, i];
        // Delete first so a replaced entry moves to its new layer's position: output order follows the last definition.
        into.delete(key(value));
        into.set(key(value), { value, origin: doc.locate(path), doc, path });
      });
    };
    keyed(settings.files, 'files', files, (f) => f.path);
    keyed(settings.units, 'units', units, (u) => u.name);
    keyed(settings.users, 'users', users, (u) => u.name);
  }
  return {
    scalars,
    ...(ignitionVersion ? { ignitionVersion } : {}),
    flannel,
    flannelMonitoring,
    files: [...files.values()],
    units: [...units.values()],
    users: [...users.values()],
  };
}
