import { describe, expect, it } from 'vitest';
import { catalogArtifact, catalogRows } from '../../src/resolve/catalog.ts';

describe('catalogArtifact', () => {
  it('gives the raw flanneld binary for a version and arch', () => {
    expect(catalogArtifact('flanneld', 'v0.28.9', 'arm64')).toEqual({
      url: 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-arm64',
      kind: 'binary',
    });
  });

  it('gives the flanneld tarball when asked for it', () => {
    expect(catalogArtifact('flanneld', 'v0.27.4', 'amd64', 'tgz')?.url).toBe(
      'https://github.com/flannel-io/flannel/releases/download/v0.27.4/flannel-v0.27.4-linux-amd64.tar.gz',
    );
  });

  it('uses the six-character asset suffix from v1.8.0-flannel2 on, the full tag before', () => {
    expect(catalogArtifact('flannel-cni-plugin', 'v1.9.1-flannel1', 'amd64', 'tgz')).toEqual({
      url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-amd64-v1.9.1.tgz',
      checksumUrls: {
        sha256: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-amd64-v1.9.1.tgz.sha256',
        sha512: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/cni-plugin-flannel-linux-amd64-v1.9.1.tgz.sha512',
      },
      kind: 'tgz',
      members: ['flannel-amd64'],
    });
    expect(catalogArtifact('flannel-cni-plugin', 'v1.8.0-flannel2', 'arm64', 'tgz')?.url).toMatch(/-arm64-v1\.8\.0\.tgz$/);
    expect(catalogArtifact('flannel-cni-plugin', 'v1.8.0-flannel1', 'arm64', 'tgz')?.url).toMatch(/-arm64-v1\.8\.0-flannel1\.tgz$/);
  });

  it('prefers the raw CNI plugin binary, which Ignition can fetch directly', () => {
    expect(catalogArtifact('flannel-cni-plugin', 'v1.9.1-flannel3', 'amd64')).toEqual({
      url: 'https://github.com/flannel-io/cni-plugin/releases/download/v1.9.1-flannel3/flannel-amd64',
      kind: 'binary',
    });
  });

  it('gives the containernetworking plugins tarball with its published checksums and needed members', () => {
    const entry = catalogArtifact('cni-plugins', 'v1.9.1', 'arm64');
    expect(entry?.url).toBe('https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-arm64-v1.9.1.tgz');
    expect(entry?.checksumUrls?.sha512).toBe(`${entry?.url}.sha512`);
    expect(entry?.members).toEqual(expect.arrayContaining(['./bridge', './host-local', './loopback', './portmap']));
    expect(catalogArtifact('cni-plugins', 'v1.9.1', 'arm64', 'binary')).toBeUndefined();
  });

  it('returns undefined for unknown versions instead of guessing a URL', () => {
    expect(catalogArtifact('flanneld', 'v0.28.10', 'amd64')).toBeUndefined();
    expect(catalogArtifact('flanneld', '0.28.9', 'amd64')).toBeUndefined();
    expect(catalogArtifact('flannel-cni-plugin', 'v1.9.1', 'amd64')).toBeUndefined();
  });
});

describe('the catalog table', () => {
  const rows = catalogRows();

  it('has no duplicate rows and no duplicate URLs', () => {
    const keys = rows.map((r) => `${r.component} ${r.version} ${r.arch} ${r.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(rows.map((r) => r.url)).size).toBe(rows.length);
  });

  it('includes the v0.27 and v0.28 flanneld lines', () => {
    const versions = new Set(rows.filter((r) => r.component === 'flanneld').map((r) => r.version));
    for (const version of ['v0.27.0', 'v0.27.4', 'v0.28.9']) expect(versions, version).toContain(version);
  });

  it('knows both arches for every component version', () => {
    const arches = new Map<string, Set<string>>();
    for (const r of rows) arches.set(`${r.component} ${r.version}`, (arches.get(`${r.component} ${r.version}`) ?? new Set()).add(r.arch));
    for (const [version, found] of arches) expect([...found].sort(), version).toEqual(['amd64', 'arm64']);
  });

  it('points only at https GitHub release downloads of the right repository, tag and arch', () => {
    const repo = { flanneld: 'flannel-io/flannel', 'flannel-cni-plugin': 'flannel-io/cni-plugin', 'cni-plugins': 'containernetworking/plugins' };
    for (const r of rows) {
      const url = new URL(r.url);
      expect(url.protocol).toBe('https:');
      expect(url.host).toBe('github.com');
      expect(url.pathname.startsWith(`/${repo[r.component]}/releases/download/${r.version}/`), r.url).toBe(true);
      expect(url.pathname.split('/').at(-1), r.url).toContain(r.arch);
    }
  });

  it('names published checksum files after their artifact', () => {
    for (const r of rows) {
      if (r.checksumUrls?.sha256 !== undefined) expect(r.checksumUrls.sha256).toBe(`${r.url}.sha256`);
      if (r.checksumUrls?.sha512 !== undefined) expect(r.checksumUrls.sha512).toBe(`${r.url}.sha512`);
    }
  });

  it('gives every tarball the members kindling extracts', () => {
    for (const r of rows.filter((row) => row.kind === 'tgz')) expect(r.members?.length, r.url).toBeGreaterThan(0);
  });
});
