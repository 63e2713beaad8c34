/** The command line as users meet it: exit codes, output streams, help, JSON, and no stack traces. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary, runCli } from '../helpers/cli.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const STACK = /\n\s+at .+\(.+:\d+:\d+\)|node:internal|TypeError|ReferenceError/;

describe('kindling validate', () => {
  it('exits 0 on the example and prints the unpinned warnings with their position', async () => {
    const run = await runCli(['validate', exampleProject()]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/3 nodes valid/);
    expect(run.stderr).toMatch(/cluster\.yaml:18:12: warning UNPINNED download/);
    expect(run.stderr).toMatch(/> 18 \|   version: v0\.28\.9\n\s+\|\s+\^/);
  });

  it('fails with --strict when there are warnings', async () => {
    const run = await runCli(['validate', exampleProject(), '--strict']);
    expect(run.status).toBe(1);
  });

  it('reports every problem of a broken project in one run', async () => {
    const dir = exampleProject({
      'nodes/nodes.yaml': (t) => replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.21')(replaceOnce('name: cp-1', 'name: CP-1')(t)),
      'cluster.yaml': replaceOnce('network: 10.244.0.0/16', 'network: 10.245.0.0/16'),
    });
    const run = await runCli(['validate', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\[node\/invalid-name\]/);
    expect(run.stderr).toMatch(/\[node\/duplicate-ip\]/);
    expect(run.stderr).toMatch(/\[net\/network-mismatch\]/);
    expect(run.stderr).toMatch(/3 errors/);
  });

  it('prints machine-readable diagnostics with --format json', async () => {
    const dir = exampleProject({ 'nodes/nodes.yaml': replaceOnce('name: cp-1', 'name: CP-1') });
    const run = await runCli(['validate', dir, '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string; line: number; column: number; file: string }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'node/invalid-name', line: 5, column: 7, file: expect.stringMatching(/nodes\.yaml$/) }));
  });
});

describe('kindling build', () => {
  it('builds the example and says where', async () => {
    const out = join(tempDir(), 'out');
    const run = await runCli(['build', exampleProject(), '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/built 3 nodes into .*lab\//);
    expect(readdirSync(join(out, 'lab', 'nodes')).sort()).toEqual(['cp-1', 'worker-1', 'worker-2']);
  });

  it('reports the second run as up to date', async () => {
    const out = join(tempDir(), 'out');
    const dir = exampleProject();
    await runCli(['build', dir, '--out', out]);
    const run = await runCli(['build', dir, '--out', out]);
    expect(run.stdout).toMatch(/up to date/);
  });

  it('rejects an unknown --node', async () => {
    const run = await runCli(['build', exampleProject(), '--out', join(tempDir(), 'out'), '--node', 'nope']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no node named 'nope'.*\n.*\n.*known nodes: cp-1, worker-1, worker-2|known nodes: cp-1, worker-1, worker-2/);
  });

  it('writes nothing when the input is invalid', async () => {
    const out = join(tempDir(), 'out');
    const run = await runCli(['build', exampleProject({ 'nodes/nodes.yaml': replaceOnce('ip: 10.0.0.22', 'ip: 10.0.0.21') }), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/output directory was left unchanged/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('kindling plan', () => {
  it("shows a node's files without revealing the token", async () => {
    const run = await runCli(['plan', 'worker-2', exampleProject()]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\/etc\/kubernetes\/flanneld\.kubeconfig\s+<secret>/);
    expect(run.stdout).toMatch(/0755 root:root\s+\/usr\/local\/bin\/flanneld/);
    expect(run.stdout).not.toMatch(/FAKE-example-token/);
  });

  it('writes modes in octal, as chmod and the profiles spell them, in plan JSON', async () => {
    const run = await runCli(['plan', 'cp-1', exampleProject(), '--format', 'json']);
    const report = JSON.parse(run.stdout) as { plan: { directories: { path: string; mode: unknown }[]; files: { path: string; mode: unknown }[] } };
    expect(report.plan.directories.find((d) => d.path === '/etc/cni/net.d')?.mode).toBe('0755');
    expect(report.plan.files.find((f) => f.path === '/etc/kubernetes/flanneld.kubeconfig')?.mode).toBe('0600');
  });

  it('lists each node\'s files relative to the output root in build JSON', async () => {
    const run = await runCli(['build', exampleProject(), '--out', join(tempDir(), 'out'), '--format', 'json']);
    const report = JSON.parse(run.stdout) as { nodes: { name: string; artifacts: string[] }[] };
    expect(report.nodes.find((n) => n.name === 'worker-2')?.artifacts).toEqual(['nodes/worker-2/user-data', 'nodes/worker-2/meta-data', 'nodes/worker-2/seed.iso']);
  });

  it('shows /opt/bin as the binary folder on flatcar', async () => {
    const run = await runCli(['plan', 'cp-1', exampleProject(), '--format', 'json']);
    const report = JSON.parse(run.stdout) as { plan: { binDir: string; files: { path: string; contents: unknown }[] } };
    expect(report.plan.binDir).toBe('/opt/bin');
    expect(report.plan.files.find((f) => f.path === '/etc/kubernetes/flanneld.kubeconfig')?.contents).toBe('<secret>');
    expect(run.stdout).not.toMatch(/FAKE-example-token/);
  });
});

describe('usage', () => {
  it('exits 2 on an unknown command and suggests the right one', async () => {
    const run = await runCli(['biuld']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Did you mean build\?/);
  });

  it('exits 2 on an invalid option value', async () => {
    const run = await runCli(['build', '--format', 'xml']);
    expect(run.status).toBe(2);
  });

  it('exits 2 on a --jobs value that is not a whole number from 1 to 64, and says so', async () => {
    for (const jobs of ['0', '-1', '2.5', 'many', '65']) {
      const run = await runCli(['build', '--jobs', jobs]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('expected a whole number from 1 to 64');
    }
  });

  for (const command of ['validate', 'build', 'plan', 'butane']) {
    it(`explains ${command} with --help and exits 0`, async () => {
      const run = await runCli([command, '--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Usage: kindling ${command}`));
    });
  }
});

describe('bad input never shows a stack trace', () => {
  const cases: [string, () => string[]][] = [
    ['a missing profile directory', () => ['build', join(tempDir(), 'missing')]],
    ['a file instead of a directory', () => ['validate', join(exampleProject(), 'cluster.yaml')]],
    ['an empty directory', () => ['validate', tempDir()]],
    ['a YAML syntax error', () => ['validate', exampleProject({ 'cluster.yaml': 'apiVersion: [\n' })]],
    ['a value of the wrong type', () => ['validate', exampleProject({ 'cluster.yaml': replaceOnce('name: lab', 'name: [lab]') })]],
    ['a missing token file', () => ['build', exampleProject({ 'cluster.yaml': replaceOnce('secrets/flannel.token', 'secrets/none') }), '--out', join(tempDir(), 'o')]],
    ['an unreadable profile (a dangling link)', () => {
      const dir = exampleProject();
      symlinkSync(join(dir, 'does-not-exist'), join(dir, 'broken.yaml'));
      return ['validate', dir];
    }],
  ];
  for (const [name, args] of cases) {
    it(`handles ${name} with exit 1 and a located message`, () => {
      const run = runBinary(args());
      expect(run.status).toBe(1);
      expect(run.stderr).not.toMatch(STACK);
      expect(run.stderr).toMatch(/error/);
    });
  }
});
