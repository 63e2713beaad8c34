/**
 * Chooses where each flannel artifact comes from and which hash pins it:
 * an explicit `flannel.artifacts.<component>.<arch>` entry, else the built-in release catalog for
 * the configured version; the hash from that entry or from the lock file (keyed by the release
 * URL); finally the mirror, if any, replaces the release host so air-gapped sites and tests can
 * serve the same paths themselves.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Arch, ArtifactSpec, ClusterDoc } from '../validate/profile-types.ts';
import type { Located } from '../validate/located.ts';
import type { ArtifactComponent, Download, NodeArtifacts } from './project-model.ts';
import { catalogArtifact } from './catalog.ts';
import type { LockedHashes } from './lock-hashes.ts';

export const DEFAULT_CNI_PLUGIN_VERSION = 'v1.9.1-flannel1';
export const DEFAULT_CNI_PLUGINS_VERSION = 'v1.9.1';
/** What the flannel conflist needs from the containernetworking tarball. */
const CNI_PLUGIN_MEMBERS = ['bridge', 'host-local', 'loopback', 'portmap'] as const;

const PROFILE_KEYS: Record<ArtifactComponent, 'flanneld' | 'cniPlugin' | 'cniPlugins'> = {
  flanneld: 'flanneld',
  'flannel-cni-plugin': 'cniPlugin',
  'cni-plugins': 'cniPlugins',
};

export class ArtifactResolver {
  private readonly cache = new Map<Arch, NodeArtifacts | undefined>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly cluster: Located<ClusterDoc>,
    private readonly lock: LockedHashes,
    private readonly diagnostics: Diagnostic[],
  ) {}

  forArch(arch: Arch): NodeArtifacts | undefined {
    if (!this.cache.has(arch)) this.cache.set(arch, this.resolve(arch));
    return this.cache.get(arch);
  }

  private resolve(arch: Arch): NodeArtifacts | undefined {
    const flanneld = this.one('flanneld', arch);
    const cniPlugin = this.one('flannel-cni-plugin', arch);
    const cniPlugins = this.one('cni-plugins', arch);
    if (!flanneld || !cniPlugin || !cniPlugins) return undefined;
    return { flanneld: flanneld.download, cniPlugin: cniPlugin.download, cniPlugins: { ...cniPlugins.download, members: cniPlugins.members ?? CNI_PLUGIN_MEMBERS } };
  }

  private version(component: ArtifactComponent): string {
    const f = this.cluster.value.flannel;
    if (component === 'flanneld') return f.version;
    if (component === 'flannel-cni-plugin') return f.cniPlugin?.version ?? DEFAULT_CNI_PLUGIN_VERSION;
    return f.cniPlugins?.version ?? DEFAULT_CNI_PLUGINS_VERSION;
  }

  private one(component: ArtifactComponent, arch: Arch): { download: Download; members?: readonly string[] } | undefined {
    const doc = this.cluster.doc;
    const key = PROFILE_KEYS[component];
    const explicit: ArtifactSpec | undefined = this.cluster.value.flannel.artifacts?.[key]?.[arch];
    const explicitPath = ['flannel', 'artifacts', key, arch];
    let url: string;
    let members: readonly string[] | undefined;
    let originPath: (string | number)[];
    if (explicit) {
      url = explicit.url;
      originPath = explicitPath;
    } else {
      const version = this.version(component);
      const entry = catalogArtifact(component, version, arch);
      const versionPath = component === 'flanneld' ? ['flannel', 'version'] : ['flannel', key, 'version'];
      if (!entry) {
        this.once(`unknown:${component}:${version}:${arch}`, {
          code: 'artifact/unknown-version',
          severity: 'error',
          message: `kindling's release catalog has no ${component} ${version} for ${arch}`,
          hint: `pick a version the catalog knows, or give the URL and sha512 under flannel.artifacts.${key}.${arch}`,
          location: doc.locate(versionPath),
        });
        return undefined;
      }
      url = entry.url;
      members = entry.members;
      originPath = versionPath;
    }
    const locked = this.lock.get(url);
    const sha512 = explicit?.sha512 ?? locked?.sha512;
    const sha256 = explicit?.sha256 ?? locked?.sha256;
    const origin = doc.locate(originPath);
    if (!sha512) {
      const allow = this.cluster.value.downloads?.allowUnpinned === true;
      this.once(`unpinned:${url}`, {
        code: 'artifact/unpinned',
        severity: allow ? 'warning' : 'error',
        message: allow
          ? `UNPINNED download: ${url} will be fetched at first boot without a hash check (allowUnpinned is set)`
          : `${url} has no pinned hash`,
        hint: allow
          ? 'run `kindling lock` to pin it, then remove downloads.allowUnpinned'
          : 'run `kindling lock` to pin every artifact, or give sha512 next to the URL under flannel.artifacts',
        location: origin,
      });
      if (!allow) return undefined;
    }
    const download: Download = {
      component,
      url: applyMirror(url, this.cluster.value.downloads?.mirror?.url),
      ...(sha512 ? { sha512 } : {}),
      ...(sha256 ? { sha256 } : {}),
      origin,
    };
    return { download, ...(members ? { members } : {}) };
  }

  private once(key: string, diagnostic: Diagnostic): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diagnostic);
  }
}

/** Replaces scheme, host and port of `url` with the mirror base, keeping the path: mirrors serve the same layout. */
export function applyMirror(url: string, mirror: string | undefined): string {
  if (!mirror) return url;
  const parsed = new URL(url);
  return mirror.replace(/\/+$/, '') + parsed.pathname + parsed.search;
}
