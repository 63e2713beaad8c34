/**
 * The example project's rendered outputs: golden files (review changes to them like code), and
 * every output accepted by the real consumer that reads it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import { buildExample } from '../helpers/build-example.ts';
import { tempDir } from '../helpers/project.ts';
import { runIgnitionValidate } from '../helpers/ignition-validate.ts';
import { systemdVerify, type UnitFile } from '../helpers/systemd-verify.ts';

const built = buildExample();
const nodes = readdirSync(join(built.clusterDir, 'nodes')).sort();
/** Binary artifacts are checked with the tools that read them, below, not as golden text. */
const BINARY = new Set(['seed.iso', 'ignition.img']);

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

describe('the example build', () => {
  it('has one folder per node of the example', () => {
    expect(nodes).toEqual(['cp-1', 'worker-1', 'worker-2']);
  });

  for (const path of listTree(built.clusterDir).sort()) {
    if (BINARY.has(path.split('/').pop()!) || path === 'manifest.json') continue;
    it(`renders ${path} as its golden file`, async () => {
      await expect(readFileSync(join(built.clusterDir, path), 'utf8')).toMatchFileSnapshot(`../golden/lab/${path}`);
    });
  }


  it('renders manifest.json as its golden file (the output folder, which its VM arguments name, written as /srv/out/lab)', async () => {
    const manifest = readFileSync(join(built.clusterDir, 'manifest.json'), 'utf8').replaceAll(built.clusterDir, '/srv/out/lab');
    await expect(manifest).toMatchFileSnapshot('../golden/lab/manifest.json');
  });
});

const userDataFiles = built.builds.filter((b) => b.node.os === 'cloud-init').map((b) => join(built.clusterDir, 'nodes', b.node.name, 'user-data'));
const ignitionFiles = built.builds.filter((b) => b.node.os !== 'cloud-init').map((b) => join(built.clusterDir, 'nodes', b.node.name, 'config.ign'));

describe('real consumers accept the example outputs', () => {
  for (const build of built.builds.filter((b) => b.node.os !== 'cloud-init')) {
    it(`packs ${build.node.name}'s config.ign into ignition.img that cpio extracts byte for byte`, () => {
      const dir = join(built.clusterDir, 'nodes', build.node.name);
      const extract = tempDir('kindling-initrd-');
      const run = spawnSync('sh', ['-c', `gzip -dc '${join(dir, 'ignition.img')}' | cpio -idm --quiet`], { cwd: extract, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const inside = build.node.os === 'fcos' ? 'config.ign' : 'usr/share/oem/config.ign';
      expect(readFileSync(join(extract, inside))).toEqual(readFileSync(join(dir, 'config.ign')));
      expect(statSync(join(extract, inside)).mode & 0o777).toBe(0o600);
    });
  }

  for (const build of built.builds.filter((b) => b.node.os === 'cloud-init')) {
    it(`writes ${build.node.name}'s seed.iso labelled cidata with the node's files, as xorriso and blkid read it`, () => {
      const dir = join(built.clusterDir, 'nodes', build.node.name);
      const blkid = spawnSync('blkid', ['-p', '-o', 'export', join(dir, 'seed.iso')], { encoding: 'utf8' });
      expect(blkid.stdout).toMatch(/^LABEL=cidata$/m);
      expect(blkid.stdout).toMatch(/^TYPE=iso9660$/m);
      const extract = tempDir('kindling-seed-');
      const run = spawnSync('xorriso', ['-osirrox', 'on', '-indev', join(dir, 'seed.iso'), '-extract', '/', extract], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(readdirSync(extract).sort()).toEqual(['meta-data', 'user-data']);
      for (const name of ['meta-data', 'user-data']) expect(readFileSync(join(extract, name))).toEqual(readFileSync(join(dir, name)));
    });
  }

  it('has outputs of both kinds to check', () => {
    expect(userDataFiles.length).toBeGreaterThan(0);
    expect(ignitionFiles.length).toBeGreaterThan(0);
  });

  for (const file of userDataFiles) {
    it(`cloud-init schema accepts ${file.split('/').slice(-2).join('/')} without a warning`, () => {
      const run = spawnSync('cloud-init', ['schema', '--config-file', file], { encoding: 'utf8' });
      expect(run.error, 'cloud-init must be installed (apt-get install cloud-init)').toBeUndefined();
      expect(run.stderr.trim()).toBe('');
      expect(run.stdout.trim()).toBe(`Valid cloud-config: ${file}`);
      expect(run.status).toBe(0);
    });

    it(`PyYAML reads ${file.split('/').slice(-2).join('/')} back with string permissions and the exact file contents`, () => {
      const script = 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
      const run = spawnSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const viaPyYaml = JSON.parse(run.stdout) as { write_files: { path: string; permissions: unknown; content: string }[] };
      const viaJs = load(readFileSync(file, 'utf8')) as typeof viaPyYaml;
      expect(viaPyYaml).toEqual(viaJs);
      for (const f of viaPyYaml.write_files) expect(f.permissions).toMatch(/^0[0-7]{3}$/);
    });
  }

  for (const file of ignitionFiles) {
    it(`ignition-validate accepts ${file.split('/').slice(-2).join('/')} silently`, () => {
      const result = runIgnitionValidate(readFileSync(file, 'utf8'));
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  }

  for (const build of built.builds) {
    it(`systemd-analyze verify accepts every unit of ${build.node.name} (${build.node.os})`, () => {
      const units = unitsOf(build.node.os, join(built.clusterDir, 'nodes', build.node.name));
      expect(units.some((u) => u.name === 'flanneld.service')).toBe(true);
      const result = systemdVerify(units);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  }
});

/** The unit files exactly as the node receives them, read back from the rendered output. */
function unitsOf(os: string, dir: string): UnitFile[] {
  if (os === 'cloud-init') {
    const config = load(readFileSync(join(dir, 'user-data'), 'utf8')) as { write_files: { path: string; content: string }[] };
    return config.write_files
      .filter((f) => f.path.startsWith('/etc/systemd/system/'))
      .map((f) => ({ name: f.path.slice('/etc/systemd/system/'.length), contents: f.content }));
  }
  const ign = JSON.parse(readFileSync(join(dir, 'config.ign'), 'utf8')) as { systemd: { units: { name: string; contents?: string; dropins?: { name: string; contents: string }[] }[] } };
  return ign.systemd.units.flatMap((u) => [
    ...(u.contents !== undefined ? [{ name: u.name, contents: u.contents }] : []),
    ...(u.dropins ?? []).map((d) => ({ name: `${u.name}.d/${d.name}`, contents: d.contents })),
  ]);
}
