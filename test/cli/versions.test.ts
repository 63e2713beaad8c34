/** `kindling versions`: the release catalog (flanneld, the flannel CNI plugin, the CNI plugins) per version and arch. */
import { describe, expect, it } from 'vitest';
import { catalogRows } from '../../src/resolve/catalog.ts';
import { runBinary, runCli } from '../helpers/cli.ts';

interface VersionsJson {
  components: {
    component: string;
    setting: string;
    versions: { version: string; arches: string[]; artifacts: { arch: string; kind: string; url: string; checksumUrls?: { sha256?: string; sha512?: string } }[] }[];
  }[];
}

describe('kindling versions', () => {
  it('lists every catalog version of each component with its arches and the profile setting that picks it', async () => {
    const run = await runCli(['versions']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines).toContain('flanneld (flannel.version)');
    expect(lines).toContain('flannel CNI plugin (flannel.cniPlugin.version)');
    expect(lines).toContain('CNI plugins (flannel.cniPlugins.version)');
    expect(lines).toContain('  v0.28.9          amd64, arm64');
    expect(lines).toContain('  v1.9.1-flannel3  amd64, arm64  published checksums');
    expect(lines).toContain('  v1.7.1-flannel1  amd64, arm64');
    expect(lines).toContain('  v1.9.1           amd64, arm64  published checksums');
    // Every catalog version appears, once, under its component.
    for (const row of catalogRows()) expect(run.stdout).toContain(`  ${row.version} `);
  });

  it('gives every catalog row, and nothing else, with --format json', async () => {
    const run = await runCli(['versions', '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as VersionsJson;
    expect(report.components.map((c) => [c.component, c.setting])).toEqual([
      ['flanneld', 'flannel.version'],
      ['flannel-cni-plugin', 'flannel.cniPlugin.version'],
      ['cni-plugins', 'flannel.cniPlugins.version'],
    ]);
    const listed = report.components.flatMap((c) => c.versions.flatMap((v) => v.artifacts.map((a) => ({ component: c.component, version: v.version, ...a }))));
    const rows = catalogRows().map((r) => ({
      component: r.component,
      version: r.version,
      arch: r.arch,
      kind: r.kind,
      url: r.url,
      ...(r.checksumUrls ? { checksumUrls: r.checksumUrls } : {}),
    }));
    expect(listed).toEqual(rows);
    const flanneld = report.components[0]!.versions.find((v) => v.version === 'v0.28.9');
    expect(flanneld?.arches).toEqual(['amd64', 'arm64']);
  });

  it('runs as the installed command', () => {
    const run = runBinary(['versions']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^flanneld \(flannel\.version\)\n {2}v0\.27\.0 /);
  });
});
