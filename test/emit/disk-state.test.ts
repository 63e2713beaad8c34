/** "Unchanged" is decided from the disk: an output edited, deleted or widened after a build is restored by the next. */
import { describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProject } from '../../src/build/build-project.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

function built(): { project: string; out: string; lab: string } {
  const project = exampleProject();
  const out = join(tempDir(), 'out');
  expect(buildProject(project, { outDir: out, env: {} }).ok).toBe(true);
  return { project, out, lab: join(out, 'lab') };
}

const mode = (path: string): number => statSync(path).mode & 0o7777;

describe('an unchanged rebuild', () => {
  it('restores a file edited in place, even when the edit kept its size and put its mtime back', () => {
    const { project, out, lab } = built();
    const file = join(lab, 'nodes', 'worker-2', 'user-data');
    const original = readFileSync(file);
    const { atime, mtime } = statSync(file);
    const tampered = Buffer.from(original);
    tampered.write('X', original.length - 2);
    writeFileSync(file, tampered);
    utimesSync(file, atime, mtime);
    const result = buildProject(project, { outDir: out, env: {} });
    expect(result.emit?.changed).toBe(true);
    expect(readFileSync(file).equals(original)).toBe(true);
  });

  it('restores a deleted file', () => {
    const { project, out, lab } = built();
    const file = join(lab, 'nodes', 'cp-1', 'config.ign');
    const original = readFileSync(file);
    rmSync(file);
    expect(buildProject(project, { outDir: out, env: {} }).emit?.changed).toBe(true);
    expect(readFileSync(file).equals(original)).toBe(true);
  });

  it('narrows a secret-bearing file made readable by everyone back to 0600', () => {
    const { project, out, lab } = built();
    const file = join(lab, 'nodes', 'cp-1', 'config.ign');
    chmodSync(file, 0o644);
    expect(buildProject(project, { outDir: out, env: {} }).emit?.changed).toBe(true);
    expect(mode(file)).toBe(0o600);
  });

  it('narrows a node folder widened to 0755 back to 0700', () => {
    const { project, out, lab } = built();
    chmodSync(join(lab, 'nodes', 'worker-1'), 0o755);
    expect(buildProject(project, { outDir: out, env: {} }).emit?.changed).toBe(true);
    expect(mode(join(lab, 'nodes', 'worker-1'))).toBe(0o700);
  });

  it('restores an edited manifest', () => {
    const { project, out, lab } = built();
    const file = join(lab, 'manifest.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"generator": "kindling"', '"generator": "kindling", "edited": true'));
    expect(buildProject(project, { outDir: out, env: {} }).emit?.changed).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('writes nothing when a file was only touched, and trusts its new times from then on', () => {
    const { project, out, lab } = built();
    const file = join(lab, 'nodes', 'worker-1', 'config.bu');
    const earlier = new Date(Date.now() - 3_600_000);
    utimesSync(file, earlier, earlier);
    // Past the window in which a just-changed file is hashed again rather than trusted by its times.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    const ino = statSync(lab).ino;
    expect(buildProject(project, { outDir: out, env: {} }).emit?.changed).toBe(false);
    expect(statSync(lab).ino).toBe(ino);
    const state = JSON.parse(readFileSync(join(out, '.lab.state.json'), 'utf8')) as { files: Record<string, number[]> };
    expect(state.files['nodes/worker-1/config.bu']?.[3]).toBe(statSync(file).mtimeMs);
  });

  it('fails a --node build when another node\'s file was edited, and changes nothing', () => {
    const { out, lab } = built();
    const file = join(lab, 'nodes', 'worker-2', 'meta-data');
    writeFileSync(file, 'instance-id: evil\n');
    const changed = exampleProject({ 'roles/worker.yaml': replaceOnce('inline: worker', 'inline: worker-changed') });
    const result = buildProject(changed, { outDir: out, env: {}, nodes: ['worker-1'] });
    expect(result.ok).toBe(false);
    const error = result.diagnostics.find((d) => d.severity === 'error')!;
    expect(error.code).toBe('emit/output-modified');
    expect(error.message).toContain('nodes/worker-2/meta-data');
    expect(readFileSync(file, 'utf8')).toBe('instance-id: evil\n');
    expect(readFileSync(join(lab, 'nodes', 'worker-1', 'config.bu'), 'utf8')).not.toContain('worker-changed');
  });
});
