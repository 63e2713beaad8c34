/**
 * An output a web server can serve: with `delivery.serveGroup`, every config is readable by a user
 * in that group (here `nobody` with www-data as a supplementary group, as nginx's workers run) and
 * by no one else; without it the output stays private, and a published one says so once.
 * Reading as another user needs root (setpriv), as the CI runs.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { buildProject, type BuildResult } from '../../src/build/build-project.ts';
import { REPO, exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const root = process.getuid?.() === 0;
const WWW_DATA = 33;
const PUBLISHED = 'downloads:\n  # No checksums';
const delivery = (lines: string): string => `delivery:\n${lines}\n\n${PUBLISHED}`;

function build(cluster: (text: string) => string): { result: BuildResult; lab: string; out: string; project: string } {
  const project = exampleProject({ 'cluster.yaml': cluster });
  // The test's own temporary folder is 0700; a server must be able to walk down to the output.
  const base = tempDir();
  chmodSync(base, 0o755);
  const out = join(base, 'out');
  const result = buildProject(project, { outDir: out, env: {} });
  return { result, lab: join(out, 'lab'), out, project };
}

function entries(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = prefix ? `${prefix}/${name}` : name;
    return lstatSync(join(dir, path)).isDirectory() ? [`${path}/`, ...entries(dir, path)] : [path];
  });
}

/** Reads a file as `nobody`, with www-data as a supplementary group or with no group at all. */
function readAsNobody(file: string, inWwwData: boolean): { status: number; stderr: string } {
  const groups = inWwwData ? ['--groups', 'www-data'] : ['--clear-groups'];
  const run = spawnSync('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', ...groups, 'cat', file], { encoding: 'utf8' });
  return { status: run.status ?? -1, stderr: run.stderr };
}

describe.runIf(root)('an output shared with a serving group', () => {
  const served = delivery('  publishURL: http://10.0.0.1:8080/lab/\n  serveGroup: www-data');

  it('lets a user in the group read every file and nobody else read a config', () => {
    const { result, lab } = build(replaceOnce(PUBLISHED, served));
    expect(result.ok).toBe(true);
    expect(result.diagnostics.filter((d) => d.code === 'delivery/private-output')).toEqual([]);
    const files = entries(lab).filter((p) => !p.endsWith('/'));
    expect(files).toContain('nodes/worker-2/user-data');
    for (const path of files) {
      const read = readAsNobody(join(lab, path), true);
      expect(read.status, `${path}: ${read.stderr}`).toBe(0);
    }
    for (const path of ['nodes/cp-1/config.ign', 'nodes/worker-2/user-data', 'nodes/worker-2/seed.iso']) {
      const read = readAsNobody(join(lab, path), false);
      expect(read.stderr, path).toMatch(/Permission denied/);
    }
  });

  it('gives every entry that group: 0640 configs in 0750 node folders', () => {
    const { lab } = build(replaceOnce(PUBLISHED, served));
    for (const path of ['', ...entries(lab)]) {
      const stat = lstatSync(join(lab, path));
      expect({ path, gid: stat.gid }).toEqual({ path, gid: WWW_DATA });
    }
    expect(lstatSync(join(lab, 'nodes/cp-1')).mode & 0o777).toBe(0o750);
    expect(lstatSync(join(lab, 'nodes/cp-1/config.ign')).mode & 0o777).toBe(0o640);
    expect(lstatSync(join(lab, 'manifest.json')).mode & 0o777).toBe(0o644);
  });

  it('gives a config back to the group when someone changed its group, and a node folder its mode', () => {
    const { lab, out, project } = build(replaceOnce(PUBLISHED, served));
    chownSync(join(lab, 'nodes/worker-1/config.ign'), 0, 0);
    chmodSync(join(lab, 'nodes/cp-1'), 0o700);
    const again = buildProject(project, { outDir: out, env: {} });
    expect(again.emit?.changed).toBe(true);
    expect(again.reusedNodes).toBe(1);
    expect(lstatSync(join(lab, 'nodes/worker-1/config.ign')).gid).toBe(WWW_DATA);
    expect(lstatSync(join(lab, 'nodes/cp-1')).mode & 0o777).toBe(0o750);
  });

  it('is served whole by kindling serve running as another user in the group (nobody in www-data, as a web server runs)', async () => {
    const { lab, out } = build(replaceOnce(PUBLISHED, served));
    const files = entries(lab).filter((p) => !p.endsWith('/'));
    const server = await serveAs(out, ['--groups', 'www-data']);
    try {
      for (const path of files) {
        const answer = await fetch(`${server.url}${path}`);
        expect({ path, status: answer.status }).toEqual({ path, status: 200 });
        expect(Buffer.from(await answer.arrayBuffer()).equals(readFileSync(join(lab, path))), path).toBe(true);
      }
    } finally {
      server.stop();
    }
    // The same server without the group gets none of the configs.
    const outsider = await serveAs(out, ['--clear-groups']);
    try {
      expect((await fetch(`${outsider.url}nodes/cp-1/config.ign`)).status).not.toBe(200);
    } finally {
      outsider.stop();
    }
  });

  it('makes a private output shared, and back, by rebuilding every file with the new modes', () => {
    const { lab, out, project } = build((text) => text);
    expect(readAsNobody(join(lab, 'nodes/cp-1/config.ign'), true).status).not.toBe(0);
    replaceInProject(project, served);
    buildProject(project, { outDir: out, env: {} });
    expect(readAsNobody(join(lab, 'nodes/cp-1/config.ign'), true).status).toBe(0);
  });
});

/** `kindling serve OUT` as nobody (group nogroup plus `groups`), on a free loopback port. */
function serveAs(out: string, groups: string[]): Promise<{ url: string; stop: () => void }> {
  const child = spawn('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', ...groups, process.execPath, join(REPO, 'bin/kindling.js'), 'serve', out, '--listen', '127.0.0.1:0'], { cwd: '/' });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 20 s: ${stderr}`)), 20_000);
    child.on('exit', (code) => reject(new Error(`kindling serve exited ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, stop: () => void child.kill('SIGTERM') });
    });
  });
}

function replaceInProject(project: string, served: string): void {
  const file = join(project, 'cluster.yaml');
  writeFileSync(file, replaceOnce(PUBLISHED, served)(readFileSync(file, 'utf8')));
}

describe('an output kept private', () => {
  it('is readable by no one but the builder, even in the www-data group', () => {
    const { result, lab } = build((text) => text);
    expect(result.ok).toBe(true);
    expect(lstatSync(join(lab, 'nodes/cp-1')).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(lab, 'nodes/cp-1/config.ign')).mode & 0o777).toBe(0o600);
    if (root) expect(readAsNobody(join(lab, 'nodes/cp-1/config.ign'), true).stderr).toMatch(/Permission denied/);
  });

  it('warns once, at publishURL, that a web server running as another user cannot read a published output', () => {
    const { result } = build(replaceOnce(PUBLISHED, delivery('  publishURL: http://10.0.0.1:8080/lab/')));
    expect(result.ok).toBe(true);
    const warnings = result.diagnostics.filter((d) => d.code === 'delivery/private-output');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', location: { line: 27, column: 15 } });
    expect(warnings[0]!.hint).toContain('serveGroup');
  });

  it('refuses a serve group this machine does not know, at the setting, writing nothing', () => {
    const { result, out } = build(replaceOnce(PUBLISHED, delivery('  publishURL: http://10.0.0.1:8080/lab/\n  serveGroup: no-such-group-kindling')));
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toMatchObject([{ code: 'delivery/unknown-group', location: { line: 28, column: 15 } }]);
    expect(() => lstatSync(out)).toThrow();
  });
});
