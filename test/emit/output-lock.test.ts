/** One build at a time per output folder: a second build waits or fails, never interleaves. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildProject } from '../../src/build/build-project.ts';
import { lockOutput } from '../../src/emit/output-lock.ts';
import { exampleProject, REPO, tempDir } from '../helpers/project.ts';
import { fleet } from '../helpers/fleet.ts';

/** Every file below `dir`, relative, with '/' separators. */
function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesBelow(dir, rel) : [rel];
  });
}

function runBuild(project: string, out: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/kindling.js'), 'build', project, '--out', out, '--jobs', '1'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('the output lock', () => {
  it('fails a build whose output folder another build holds, and writes nothing', () => {
    const out = join(tempDir(), 'out');
    mkdirSync(out);
    const held = lockOutput(out, 'lab', 0);
    expect('lock' in held).toBe(true);
    try {
      const result = buildProject(exampleProject(), { outDir: out, env: {}, lockWaitSeconds: 0 });
      expect(result.ok).toBe(false);
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['emit/output-locked']);
      expect(readdirSync(out)).toEqual(['.lab.lock']);
    } finally {
      if ('lock' in held) held.lock.release();
    }
    expect(buildProject(exampleProject(), { outDir: out, env: {}, lockWaitSeconds: 0 }).ok).toBe(true);
  });

  it('makes a build that starts while another is writing the same folder wait for it: both succeed, and the output has exactly the files its manifest lists', async () => {
    const out = join(tempDir(), 'out');
    const large = fleet(1200);
    const small = fleet(30, { 'roles/worker.yaml': (text) => text.replace('inline: worker', 'inline: worker-b') });
    const first = runBuild(large, out);
    // The second build starts once the first is writing its staging folder.
    const deadline = Date.now() + 60_000;
    while (!(existsSync(out) && readdirSync(out).some((n) => n.includes('.staging-'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = runBuild(small, out);
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.status), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const lab = join(out, 'lab');
    const manifest = JSON.parse(readFileSync(join(lab, 'manifest.json'), 'utf8')) as { artifacts: { path: string; sha256: string; size: number }[] };
    expect(filesBelow(lab).sort()).toEqual(['manifest.json', ...manifest.artifacts.map((x) => x.path)].sort());
    for (const artifact of manifest.artifacts) {
      const bytes = readFileSync(join(lab, artifact.path));
      expect(createHash('sha256').update(bytes).digest('hex'), artifact.path).toBe(artifact.sha256);
    }
    // The build that finished last is the small one, which waited.
    expect(manifest.artifacts.some((x) => x.path.startsWith('nodes/fleet-100/'))).toBe(false);
    expect(readdirSync(out).filter((n) => n.includes('.staging-') || n.includes('.previous-'))).toEqual([]);
  }, 180_000);

  it('takes the lock in an output folder that a failed build removed, making the folder anew', () => {
    const out = join(tempDir(), 'gone', 'out');
    const attempt = lockOutput(out, 'lab', 0);
    expect('lock' in attempt, JSON.stringify(attempt)).toBe(true);
    if ('lock' in attempt) attempt.lock.release();
    expect(readdirSync(out)).toEqual(['.lab.lock']);
  });

  it('removes a staging folder an interrupted build left behind, even when nothing else changes', () => {
    const out = join(tempDir(), 'out');
    const project = exampleProject();
    expect(buildProject(project, { outDir: out, env: {} }).ok).toBe(true);
    const leftover = join(out, '.lab.staging-99999-dead');
    mkdirSync(join(leftover, 'nodes'), { recursive: true });
    writeFileSync(join(leftover, 'manifest.json'), '{}');
    const manifestTime = statSync(join(out, 'lab', 'manifest.json')).mtimeMs;
    const again = buildProject(project, { outDir: out, env: {} });
    expect(again.emit?.changed).toBe(false);
    expect(readdirSync(out).filter((n) => n.includes('.staging-'))).toEqual([]);
    expect(statSync(join(out, 'lab', 'manifest.json')).mtimeMs).toBe(manifestTime);
  });
});
