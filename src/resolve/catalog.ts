/**
 * Release artifacts kindling knows how to pin: one explicit row per component, version, arch and
 * form. PURE data and lookups.
 *
 * Why a table and not a URL formula: upstream asset names change shape without notice. The flannel
 * CNI plugin's `.tgz` suffix was the full tag up to v1.8.0-flannel1 and the first six characters of
 * the tag from v1.8.0-flannel2 on (commit ff956db, `VERSION="${GIT_TAG:0:6}"`), which will turn a
 * future v1.10.0-flannel1 into `v1.10.`. A reviewer sees every URL here in a diff; adding a version is
 * adding rows, after checking the release page.
 *
 * Evidence per row set:
 * - flanneld: tags v0.27.0–v0.27.4, v0.28.0, v0.28.1, v0.28.4–v0.28.9 seen in the flannel mirror or
 *   in third-party download scripts; v0.28.2 and v0.28.3 left out (no evidence seen). Asset names
 *   from the release workflow and Makefile at v0.28.9 (`flanneld-<arch>`, `flannel-<tag>-linux-<arch>.tar.gz`).
 *   Flannel publishes no checksum files.
 * - flannel-cni-plugin: raw `flannel-<arch>` (uploaded from dist/) and the `.tgz` holding one file
 *   `flannel-<arch>`. `.sha256`/`.sha512` URLs are listed only from v1.8.0-flannel2 on, where the
 *   packaging script was read; older releases may publish them too (unverified, so not listed).
 *   v1.9.1-flannel3 is the plugin kube-flannel v0.28.9 pairs with.
 * - cni-plugins (containernetworking/plugins): only `.tgz` with `.sha256`/`.sha512` files.
 *
 * `members` names the archive members kindling relies on (not an exhaustive listing).
 */

export type CatalogComponent = 'flanneld' | 'flannel-cni-plugin' | 'cni-plugins';
export type CatalogArch = 'amd64' | 'arm64';
export type CatalogKind = 'binary' | 'tgz';

export interface CatalogEntry {
  readonly url: string;
  readonly checksumUrls?: { readonly sha256?: string; readonly sha512?: string };
  readonly kind: CatalogKind;
  readonly members?: readonly string[];
}

interface CatalogRow extends CatalogEntry {
  readonly component: CatalogComponent;
  readonly version: string;
  readonly arch: CatalogArch;
}

const ROWS: readonly CatalogRow[] = [
  { component: 'flanneld', version: 'v0.27.0', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.0/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.27.0', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.0/flannel-v0.27.0-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.0', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.0/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.27.0', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.0/flannel-v0.27.0-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.1/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.27.1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.1/flannel-v0.27.1-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.1/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.27.1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.1/flannel-v0.27.1-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.2', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.2/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.27.2', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.2/flannel-v0.27.2-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.2', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.2/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.27.2', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.2/flannel-v0.27.2-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.3', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.3/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.27.3', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.3/flannel-v0.27.3-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.3', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.3/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.27.3', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.3/flannel-v0.27.3-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.4', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.4/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.27.4', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.4/flannel-v0.27.4-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.27.4', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.4/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.27.4', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.27.4/flannel-v0.27.4-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.0', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.0/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.0', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.0/flannel-v0.28.0-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.0', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.0/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.0', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.0/flannel-v0.28.0-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.1/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.1/flannel-v0.28.1-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.1/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.1/flannel-v0.28.1-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.4', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.4/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.4', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.4/flannel-v0.28.4-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.4', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.4/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.4', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.4/flannel-v0.28.4-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.5', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.5/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.5', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.5/flannel-v0.28.5-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.5', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.5/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.5', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.5/flannel-v0.28.5-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.6', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.6/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.6', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.6/flannel-v0.28.6-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.6', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.6/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.6', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.6/flannel-v0.28.6-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.7', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.7/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.7', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.7/flannel-v0.28.7-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.7', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.7/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.7', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.7/flannel-v0.28.7-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.8', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.8/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.8', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.8/flannel-v0.28.8-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.8', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.8/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.8', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.8/flannel-v0.28.8-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.9', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64' },
  { component: 'flanneld', version: 'v0.28.9', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flannel-v0.28.9-linux-amd64.tar.gz', members: ['flanneld'] },
  { component: 'flanneld', version: 'v0.28.9', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-arm64' },
  { component: 'flanneld', version: 'v0.28.9', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flannel-v0.28.9-linux-arm64.tar.gz', members: ['flanneld'] },
  { component: 'flannel-cni-plugin', version: 'v1.6.0-flannel1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.0-flannel1/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.6.0-flannel1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.0-flannel1/cni-plugin-flannel-linux-amd64-v1.6.0-flannel1.tgz', members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.6.0-flannel1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.0-flannel1/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.6.0-flannel1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.0-flannel1/cni-plugin-flannel-linux-arm64-v1.6.0-flannel1.tgz', members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.6.2-flannel1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.2-flannel1/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.6.2-flannel1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.2-flannel1/cni-plugin-flannel-linux-amd64-v1.6.2-flannel1.tgz', members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.6.2-flannel1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.2-flannel1/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.6.2-flannel1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.6.2-flannel1/cni-plugin-flannel-linux-arm64-v1.6.2-flannel1.tgz', members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel1/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel1/cni-plugin-flannel-linux-amd64-v1.7.1-flannel1.tgz', members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel1/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel1/cni-plugin-flannel-linux-arm64-v1.7.1-flannel1.tgz', members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel2', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel2/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel2', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel2/cni-plugin-flannel-linux-amd64-v1.7.1-flannel2.tgz', members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel2', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel2/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.7.1-flannel2', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.7.1-flannel2/cni-plugin-flannel-linux-arm64-v1.7.1-flannel2.tgz', members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel1/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel1/cni-plugin-flannel-linux-amd64-v1.8.0-flannel1.tgz', members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel1/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel1/cni-plugin-flannel-linux-arm64-v1.8.0-flannel1.tgz', members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel2', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel2', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/cni-plugin-flannel-linux-amd64-v1.8.0.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/cni-plugin-flannel-linux-amd64-v1.8.0.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/cni-plugin-flannel-linux-amd64-v1.8.0.tgz.sha512' }, members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel2', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.8.0-flannel2', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/cni-plugin-flannel-linux-arm64-v1.8.0.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/cni-plugin-flannel-linux-arm64-v1.8.0.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.8.0-flannel2/cni-plugin-flannel-linux-arm64-v1.8.0.tgz.sha512' }, members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.9.0-flannel1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.9.0-flannel1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/cni-plugin-flannel-linux-amd64-v1.9.0.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/cni-plugin-flannel-linux-amd64-v1.9.0.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/cni-plugin-flannel-linux-amd64-v1.9.0.tgz.sha512' }, members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.9.0-flannel1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.9.0-flannel1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/cni-plugin-flannel-linux-arm64-v1.9.0.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/cni-plugin-flannel-linux-arm64-v1.9.0.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.0-flannel1/cni-plugin-flannel-linux-arm64-v1.9.0.tgz.sha512' }, members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel1', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-amd64-v1.9.1.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-amd64-v1.9.1.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-amd64-v1.9.1.tgz.sha512' }, members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel1', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-arm64-v1.9.1.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-arm64-v1.9.1.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-arm64-v1.9.1.tgz.sha512' }, members: ['flannel-arm64'] },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel3', arch: 'amd64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/flannel-amd64' },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel3', arch: 'amd64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/cni-plugin-flannel-linux-amd64-v1.9.1.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/cni-plugin-flannel-linux-amd64-v1.9.1.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/cni-plugin-flannel-linux-amd64-v1.9.1.tgz.sha512' }, members: ['flannel-amd64'] },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel3', arch: 'arm64', kind: 'binary', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/flannel-arm64' },
  { component: 'flannel-cni-plugin', version: 'v1.9.1-flannel3', arch: 'arm64', kind: 'tgz', url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/cni-plugin-flannel-linux-arm64-v1.9.1.tgz', checksumUrls: { sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/cni-plugin-flannel-linux-arm64-v1.9.1.tgz.sha256', sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/cni-plugin-flannel-linux-arm64-v1.9.1.tgz.sha512' }, members: ['flannel-arm64'] },
  { component: 'cni-plugins', version: 'v1.7.1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.7.1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-arm64-v1.7.1.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-arm64-v1.7.1.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-arm64-v1.7.1.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.8.0', arch: 'amd64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-amd64-v1.8.0.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-amd64-v1.8.0.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-amd64-v1.8.0.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.8.0', arch: 'arm64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-arm64-v1.8.0.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-arm64-v1.8.0.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-arm64-v1.8.0.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.9.0', arch: 'amd64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.9.0/cni-plugins-linux-amd64-v1.9.0.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.9.0/cni-plugins-linux-amd64-v1.9.0.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.9.0/cni-plugins-linux-amd64-v1.9.0.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.9.0', arch: 'arm64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.9.0/cni-plugins-linux-arm64-v1.9.0.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.9.0/cni-plugins-linux-arm64-v1.9.0.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.9.0/cni-plugins-linux-arm64-v1.9.0.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.9.1', arch: 'amd64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
  { component: 'cni-plugins', version: 'v1.9.1', arch: 'arm64', kind: 'tgz', url: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-arm64-v1.9.1.tgz', checksumUrls: { sha256: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-arm64-v1.9.1.tgz.sha256', sha512: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-arm64-v1.9.1.tgz.sha512' }, members: ['./bridge', './host-local', './loopback', './portmap'] },
];

/** Ignition fetches raw binaries directly; `.tgz` needs an extract unit. Each component's preferred form. */
const PREFERRED_KIND: Readonly<Record<CatalogComponent, CatalogKind>> = {
  flanneld: 'binary',
  'flannel-cni-plugin': 'binary',
  'cni-plugins': 'tgz',
};

function rowKey(component: CatalogComponent, version: string, arch: CatalogArch, kind: CatalogKind): string {
  return `${component}\u0000${version}\u0000${arch}\u0000${kind}`;
}

const INDEX: ReadonlyMap<string, CatalogEntry> = new Map(
  ROWS.map((row) => {
    const entry: CatalogEntry = {
      url: row.url,
      kind: row.kind,
      ...(row.checksumUrls === undefined ? {} : { checksumUrls: row.checksumUrls }),
      ...(row.members === undefined ? {} : { members: row.members }),
    };
    return [rowKey(row.component, row.version, row.arch, row.kind), entry];
  }),
);

/**
 * The artifact for a component version and arch, in the component's preferred form unless `kind`
 * asks for the other; undefined when the catalog has no such row (report `artifact/unknown-version`).
 * `version` is the exact upstream tag, with its leading `v`.
 */
export function catalogArtifact(
  component: CatalogComponent,
  version: string,
  arch: CatalogArch,
  kind: CatalogKind = PREFERRED_KIND[component],
): CatalogEntry | undefined {
  return INDEX.get(rowKey(component, version, arch, kind));
}

/** Every row, for the tests that audit the table. */
export function catalogRows(): readonly (CatalogEntry & { component: CatalogComponent; version: string; arch: CatalogArch })[] {
  return ROWS;
}
