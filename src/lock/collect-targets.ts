/**
 * What `kindling lock` must pin: every artifact the profiles make a node download. For each arch
 * in use (or asked for), the flanneld binary, the flannel CNI plugin and the containernetworking
 * plugins tarball, chosen exactly as resolve/artifacts.ts chooses them (explicit URL, else the
 * catalog); and every profile file with `contents.url`.
 *
 * Targets are keyed by RELEASE URL, because builds look hashes up by release URL before the mirror
 * is applied. When the profile has a mirror, the flannel artifacts carry it (`mirror`), and
 * pinArtifact downloads them and their published checksum files from there.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import { DEFAULT_CNI_PLUGIN_VERSION, DEFAULT_CNI_PLUGINS_VERSION } from '../resolve/artifacts.ts';
import { catalogArtifact } from '../resolve/catalog.ts';
import type { CatalogComponent } from '../resolve/catalog.ts';
import type { Arch, FileSpec, NodeSettings } from '../validate/profile-types.ts';
import type { ValidatedProfile } from '../validate/validate-profile.ts';
import type { ParsedDocument } from '../parse/parse-document.ts';
import type { DownloadMirror, PinTarget } from './pin-artifact.ts';

export const ARCHES: readonly Arch[] = ['amd64', 'arm64'];

export interface LockTarget extends PinTarget {
  /** The release URL: what the lock file records and builds look up. */
  readonly url: string;
  /** Human name for messages, e.g. "flanneld v0.28.9 (amd64)". */
  readonly what: string;
  /** A sha512 the profile itself states (explicit artifacts, remote files): the download must match it. */
  readonly expectedSha512?: string;
  readonly location?: SourceLocation;
  /** Builds fetch it through `downloads.mirror` when one is set (the flannel artifacts; remote profile files are fetched from their own URL). */
  readonly viaMirror: boolean;
}

export interface CollectOptions {
  /** Pin for these arches instead of the arches the nodes use. */
  readonly arches?: readonly Arch[];
}

export interface CollectResult {
  /** Sorted by URL, one per URL. */
  readonly targets: readonly LockTarget[];
  /** The arches the targets were collected for. */
  readonly arches: readonly Arch[];
  readonly diagnostics: readonly Diagnostic[];
}

const PROFILE_KEYS: Record<CatalogComponent, 'flanneld' | 'cniPlugin' | 'cniPlugins'> = {
  flanneld: 'flanneld',
  'flannel-cni-plugin': 'cniPlugin',
  'cni-plugins': 'cniPlugins',
};

/** The arch each node ends up with: node, then its role, then the cluster defaults, then amd64 (as resolve does). */
function nodeArches(profile: ValidatedProfile): Arch[] {
  const arches = new Set<Arch>();
  const defaults = profile.cluster.value.defaults?.arch;
  for (const node of profile.nodes) {
    const role = node.value.role === undefined ? undefined : profile.roles.get(node.value.role)?.value;
    arches.add(node.value.arch ?? role?.arch ?? defaults ?? 'amd64');
  }
  return [...arches].sort();
}

export function collectLockTargets(profile: ValidatedProfile, options: CollectOptions = {}): CollectResult {
  const diagnostics: Diagnostic[] = [];
  const cluster = profile.cluster;
  const c = cluster.value;
  const configured = c.downloads?.mirror;
  const mirror: DownloadMirror | undefined = configured === undefined ? undefined : { url: configured.url, allowHttp: configured.allowHttp === true };
  const arches = options.arches !== undefined ? [...new Set(options.arches)].sort() : nodeArches(profile);
  const byUrl = new Map<string, LockTarget>();
  const add = (target: LockTarget): void => {
    if (!byUrl.has(target.url)) byUrl.set(target.url, target);
  };

  const versions: Record<CatalogComponent, { version: string; path: string[] }> = {
    flanneld: { version: c.flannel.version, path: ['flannel', 'version'] },
    'flannel-cni-plugin': { version: c.flannel.cniPlugin?.version ?? DEFAULT_CNI_PLUGIN_VERSION, path: ['flannel', 'cniPlugin', 'version'] },
    'cni-plugins': { version: c.flannel.cniPlugins?.version ?? DEFAULT_CNI_PLUGINS_VERSION, path: ['flannel', 'cniPlugins', 'version'] },
  };
  for (const arch of arches) {
    for (const component of Object.keys(PROFILE_KEYS) as CatalogComponent[]) {
      const key = PROFILE_KEYS[component];
      const explicit = c.flannel.artifacts?.[key]?.[arch];
      if (explicit !== undefined) {
        const path = ['flannel', 'artifacts', key, arch, 'url'];
        add({
          url: explicit.url,
          ...(mirror !== undefined ? { mirror } : {}),
          what: `${component} (${arch}, from flannel.artifacts.${key}.${arch})`,
          viaMirror: true,
          ...(explicit.sha512 !== undefined ? { expectedSha512: explicit.sha512 } : {}),
          location: cluster.doc.locate(path),
        });
        continue;
      }
      const { version, path } = versions[component];
      const entry = catalogArtifact(component, version, arch);
      if (entry === undefined) {
        diagnostics.push({
          code: 'artifact/unknown-version',
          severity: 'error',
          message: `kindling's release catalog has no ${component} ${version} for ${arch}`,
          hint: `pick a version the catalog knows, or give the URL under flannel.artifacts.${key}.${arch}`,
          location: cluster.doc.locate(path),
        });
        continue;
      }
      const checksumUrls = entry.checksumUrls;
      add({
        url: entry.url,
        ...(mirror !== undefined ? { mirror } : {}),
        what: `${component} ${version} (${arch})`,
        viaMirror: true,
        ...(checksumUrls !== undefined ? { checksumUrls } : {}),
        location: cluster.doc.locate(path),
      });
    }
  }

  // Remote profile files are fetched from exactly their URL (resolve applies no mirror to them).
  const fileSources: { settings: NodeSettings | undefined; doc: ParsedDocument; base: (string | number)[] }[] = [
    { settings: c.defaults, doc: cluster.doc, base: ['defaults'] },
    ...[...profile.roles.values()].map((r) => ({ settings: r.value as NodeSettings, doc: r.doc, base: [] })),
    ...profile.nodes.map((n) => ({ settings: n.value as NodeSettings, doc: n.doc, base: [] })),
  ];
  for (const { settings, doc, base } of fileSources) {
    (settings?.files ?? []).forEach((file: FileSpec, index) => {
      const url = file.contents.url;
      if (url === undefined) return;
      add({
        url,
        what: `file ${file.path}`,
        viaMirror: false,
        ...(file.contents.sha512 !== undefined ? { expectedSha512: file.contents.sha512 } : {}),
        location: doc.locate([...base, 'files', index, 'contents', 'url']),
      });
    });
  }

  const targets = [...byUrl.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { targets, arches, diagnostics };
}
