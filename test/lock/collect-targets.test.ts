/** What `kindling lock` pins: per arch in use, explicit over catalog, remote files, release URLs with the mirror that serves them. */
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/build/load-project.ts';
import { collectLockTargets } from '../../src/lock/collect-targets.ts';
import type { ValidatedProfile } from '../../src/validate/validate-profile.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

const GH = 'https://github.com';
const FLANNELD = (arch: string) => `${GH}/flannel-io/flannel/releases/download/v0.28.9/flanneld-${arch}`;
const CNI_PLUGIN = (arch: string) => `${GH}/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-${arch}`;
const CNI_PLUGINS = (arch: string) => `${GH}/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-${arch}-v1.9.1.tgz`;
const SHA512 = 'ab'.repeat(64);

function profileOf(dir: string): ValidatedProfile {
  const loaded = loadProfile(dir);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.profile!;
}

describe('collectLockTargets', () => {
  it('collects the three flannel artifacts for the arch the example nodes use, with published checksum URLs', () => {
    const result = collectLockTargets(profileOf(exampleProject()));
    expect(result.arches).toEqual(['amd64']);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => t.url)).toEqual([CNI_PLUGINS('amd64'), CNI_PLUGIN('amd64'), FLANNELD('amd64')]);
    const tarball = result.targets.find((t) => t.url === CNI_PLUGINS('amd64'));
    expect(tarball?.checksumUrls).toEqual({ sha256: `${CNI_PLUGINS('amd64')}.sha256`, sha512: `${CNI_PLUGINS('amd64')}.sha512` });
    expect(result.targets.every((t) => t.mirror === undefined)).toBe(true);
  });

  it('takes each node arch from the node, else its role, else the defaults', () => {
    const dir = exampleProject({
      'roles/worker.yaml': replaceOnce('name: worker\n', 'name: worker\narch: arm64\n'),
      'nodes/nodes.yaml': replaceOnce('name: worker-2\nrole: worker\n', 'name: worker-2\nrole: worker\narch: amd64\n'),
    });
    const profile = profileOf(dir);
    const both = ['amd64', 'arm64'].flatMap((arch) => [CNI_PLUGINS(arch), CNI_PLUGIN(arch), FLANNELD(arch)]);
    expect(collectLockTargets(profile).targets.map((t) => t.url).sort()).toEqual(both.sort());
    expect(collectLockTargets(profile, { arches: ['arm64'] }).targets.map((t) => t.url)).toEqual([CNI_PLUGINS('arm64'), CNI_PLUGIN('arm64'), FLANNELD('arm64')]);
  });

  it('uses an explicit artifact URL over the catalog and keeps its sha512 to check against', () => {
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  cniPlugins: { version: v1.9.1 }\n', `  cniPlugins: { version: v1.9.1 }\n  artifacts:\n    flanneld:\n      amd64: { url: "https://downloads.example.com/flanneld", sha512: ${SHA512} }\n`),
    });
    const targets = collectLockTargets(profileOf(dir)).targets;
    expect(targets.map((t) => t.url)).toContain('https://downloads.example.com/flanneld');
    expect(targets.map((t) => t.url)).not.toContain(FLANNELD('amd64'));
    expect(targets.find((t) => t.url === 'https://downloads.example.com/flanneld')?.expectedSha512).toBe(SHA512);
  });

  it('adds profile files with contents.url, fetched from exactly that URL even with a mirror', () => {
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  allowUnpinned: true', '  allowUnpinned: true\n  mirror: { url: "http://127.0.0.1:9", allowHttp: true }'),
      'nodes/nodes.yaml': replaceOnce('name: cp-1\n', `name: cp-1\nfiles:\n  - path: /opt/bin/tool\n    mode: 0755\n    contents: { url: "https://downloads.example.com/tool", sha512: ${SHA512} }\n`),
    });
    const targets = collectLockTargets(profileOf(dir)).targets;
    const tool = targets.find((t) => t.url === 'https://downloads.example.com/tool');
    expect(tool).toMatchObject({ expectedSha512: SHA512, what: 'file /opt/bin/tool' });
    expect(tool?.mirror).toBeUndefined();
    expect(tool?.location).toMatchObject({ file: expect.stringMatching(/nodes\/nodes\.yaml$/), line: 9 });
    expect(targets.find((t) => t.url === FLANNELD('amd64'))?.mirror).toEqual({ url: 'http://127.0.0.1:9', allowHttp: true });
  });

  it('reports a version the catalog does not know, at the version', () => {
    const dir = exampleProject({ 'cluster.yaml': replaceOnce('  version: v0.28.9', '  version: v0.1.0') });
    const result = collectLockTargets(profileOf(dir));
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'artifact/unknown-version', severity: 'error', location: { line: 18, column: 12 } });
    expect(result.diagnostics[0]?.message).toMatch(/no flanneld v0\.1\.0 for amd64/);
  });
});
