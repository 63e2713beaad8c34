/**
 * The release catalog (resolve/catalog.ts) grouped for `kindling versions`: per component, the
 * profile setting that picks a version, and per version its arches and artifacts, in the
 * catalog's own order.
 */
import { catalogRows, type CatalogArch, type CatalogComponent, type CatalogKind } from '../resolve/catalog.ts';

interface ListedArtifact {
  readonly arch: CatalogArch;
  readonly kind: CatalogKind;
  readonly url: string;
  readonly checksumUrls?: { readonly sha256?: string; readonly sha512?: string };
}

interface ListedVersion {
  readonly version: string;
  readonly arches: CatalogArch[];
  readonly artifacts: ListedArtifact[];
}

interface ListedComponent {
  readonly component: CatalogComponent;
  readonly title: string;
  /** Where a Cluster profile chooses this component's version. */
  readonly setting: string;
  readonly versions: ListedVersion[];
}

const COMPONENTS: readonly { component: CatalogComponent; title: string; setting: string }[] = [
  { component: 'flanneld', title: 'flanneld', setting: 'flannel.version' },
  { component: 'flannel-cni-plugin', title: 'flannel CNI plugin', setting: 'flannel.cniPlugin.version' },
  { component: 'cni-plugins', title: 'CNI plugins', setting: 'flannel.cniPlugins.version' },
];

export function listCatalog(): ListedComponent[] {
  return COMPONENTS.map(({ component, title, setting }) => {
    const versions = new Map<string, ListedVersion>();
    for (const row of catalogRows()) {
      if (row.component !== component) continue;
      let listed = versions.get(row.version);
      if (listed === undefined) {
        listed = { version: row.version, arches: [], artifacts: [] };
        versions.set(row.version, listed);
      }
      if (!listed.arches.includes(row.arch)) listed.arches.push(row.arch);
      listed.artifacts.push({ arch: row.arch, kind: row.kind, url: row.url, ...(row.checksumUrls ? { checksumUrls: row.checksumUrls } : {}) });
    }
    return { component, title, setting, versions: [...versions.values()] };
  });
}

/** One block per component: its title and setting, then one line per version, columns aligned. */
export function formatCatalog(components: readonly ListedComponent[]): string {
  const width = Math.max(...components.flatMap((c) => c.versions.map((v) => v.version.length)));
  const lines: string[] = [];
  for (const component of components) {
    if (lines.length > 0) lines.push('');
    lines.push(`${component.title} (${component.setting})`);
    for (const version of component.versions) {
      const checksums = version.artifacts.some((a) => a.checksumUrls !== undefined) ? '  published checksums' : '';
      lines.push(`  ${version.version.padEnd(width)}  ${version.arches.join(', ')}${checksums}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
