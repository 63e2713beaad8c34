/** `kindling init [DIR]`: a project that validates and builds as written, and never a file overwritten. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { runBinary, runCli } from '../helpers/cli.ts';
import { REPO, tempDir } from '../helpers/project.ts';

const SCAFFOLD = [
  'cluster.yaml',
  'nodes/fcos-1.yaml',
  'nodes/flatcar-1.yaml',
  'nodes/ubuntu-1.yaml',
  'roles/worker.yaml',
  'schema/profile.schema.json',
  'secrets/.gitignore',
  'secrets/ca.crt',
  'secrets/flannel.token',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('kindling init', () => {
  it('scaffolds a cluster, a role, one node per OS, secrets and the schema, and the project validates and builds', async () => {
    const dir = join(tempDir(), 'site');
    const init = await runCli(['init', dir]);
    expect(init.status).toBe(0);
    expect(init.stderr).toBe('');
    expect(filesUnder(dir)).toEqual(SCAFFOLD);
    expect(init.stdout).toContain(`${join(dir, 'secrets/flannel.token')}`);

    const validate = await runCli(['validate', dir]);
    expect(validate.status).toBe(0);
    expect(validate.stdout).toBe(`${dir}: 3 nodes valid\n`);

    const out = join(tempDir(), 'out');
    const build = await runCli(['build', dir, '--out', out]);
    expect(build.status).toBe(0);
    const nodes = join(out, 'lab', 'nodes');
    expect(readdirSync(nodes).sort()).toEqual(['fcos-1', 'flatcar-1', 'ubuntu-1']);
    expect(existsSync(join(nodes, 'flatcar-1', 'config.ign'))).toBe(true);
    expect(existsSync(join(nodes, 'fcos-1', 'config.ign'))).toBe(true);
    expect(existsSync(join(nodes, 'ubuntu-1', 'user-data'))).toBe(true);
  });

  it('writes the placeholder credentials 0600 in a 0700 secrets folder', async () => {
    const dir = join(tempDir(), 'site');
    expect((await runCli(['init', dir])).status).toBe(0);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'secrets/flannel.token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets/ca.crt')).mode & 0o777).toBe(0o600);
  });

  it('keeps the credentials out of git but not the .gitignore itself', async () => {
    const dir = join(tempDir(), 'site');
    expect((await runCli(['init', dir])).status).toBe(0);
    execFileSync('git', ['init', '-q', dir]);
    const ignored = (path: string): boolean => {
      try {
        execFileSync('git', ['-C', dir, 'check-ignore', '-q', path]);
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('secrets/flannel.token')).toBe(true);
    expect(ignored('secrets/ca.crt')).toBe(true);
    expect(ignored('secrets/another.key')).toBe(true);
    expect(ignored('secrets/.gitignore')).toBe(false);
    expect(ignored('cluster.yaml')).toBe(false);
  });

  it("names a copy of kindling's schema on the first line of every profile file, by a path that resolves from that file", async () => {
    const dir = join(tempDir(), 'site');
    expect((await runCli(['init', dir])).status).toBe(0);
    const profiles = filesUnder(dir).filter((f) => f.endsWith('.yaml'));
    expect(profiles).toHaveLength(5);
    for (const file of profiles) {
      const first = readFileSync(join(dir, file), 'utf8').split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, file).not.toBeNull();
      const schema = resolve(dirname(join(dir, file)), match![1]!);
      expect(readFileSync(schema, 'utf8')).toBe(readFileSync(join(REPO, 'schemas/profile.schema.json'), 'utf8'));
    }
  });

  it('refuses to overwrite an existing file: exit 1, the file named, nothing written', async () => {
    const dir = join(tempDir(), 'site');
    mkdirSync(join(dir, 'nodes'), { recursive: true });
    writeFileSync(join(dir, 'nodes/fcos-1.yaml'), 'mine\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine too\n');
    const run = await runCli(['init', dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`kindling init: ${join(dir, 'nodes/fcos-1.yaml')} exists; init writes only new files, so nothing was written\n`);
    expect(filesUnder(dir)).toEqual(['nodes/fcos-1.yaml', 'notes.txt']);
    expect(readFileSync(join(dir, 'nodes/fcos-1.yaml'), 'utf8')).toBe('mine\n');
  });

  it('removes what it wrote when a later file cannot be written', async () => {
    const dir = join(tempDir(), 'site');
    mkdirSync(dir);
    writeFileSync(join(dir, 'nodes'), 'a file where init needs a folder\n');
    const run = await runCli(['init', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^kindling init: cannot write ${join(dir, 'nodes/flatcar-1.yaml')}: a file is where its folder would be; nothing was left behind\n$`));
    expect(readdirSync(dir)).toEqual(['nodes']);
  });

  it('works in an empty folder as the installed command: kindling init && kindling build', () => {
    const cwd = tempDir();
    const init = runBinary(['init'], { cwd });
    expect(init.status).toBe(0);
    expect(filesUnder(join(cwd, 'profiles'))).toEqual(SCAFFOLD);
    const build = runBinary(['build'], { cwd });
    expect(build.stderr).toMatch(/\n0 errors, 3 warnings\n$/); // the unpinned downloads, until `kindling lock`
    expect(build.status).toBe(0);
    expect(build.stdout).toMatch(/^built 3 nodes into out\/lab\/ \(\d+ files\)\n$/);
    expect(readdirSync(join(cwd, 'out/lab/nodes')).sort()).toEqual(['fcos-1', 'flatcar-1', 'ubuntu-1']);
  });
});
