/** A build replaces out/<cluster>/ whole: only a folder kindling wrote, never the profiles or someone else's files. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildProject } from '../../src/build/build-project.ts';
import { exampleProject, tempDir } from '../helpers/project.ts';

const codes = (result: { diagnostics: readonly { code: string; severity: string }[] }): string[] => result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('the output folder a build may replace', () => {
  it('refuses an existing out/<cluster> that kindling did not write, and removes nothing', () => {
    const out = join(tempDir(), 'out');
    mkdirSync(join(out, 'lab', 'photos'), { recursive: true });
    writeFileSync(join(out, 'lab', 'photos', 'holiday.jpg'), 'precious');
    const result = buildProject(exampleProject(), { outDir: out, env: {} });
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['emit/not-kindling-output']);
    expect(readFileSync(join(out, 'lab', 'photos', 'holiday.jpg'), 'utf8')).toBe('precious');
    expect(readdirSync(join(out, 'lab'))).toEqual(['photos']);
  });

  it('refuses an out/<cluster> that is a symbolic link, and leaves the link and its target alone', () => {
    const root = tempDir();
    const target = join(root, 'elsewhere');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'x');
    mkdirSync(join(root, 'out'));
    symlinkSync(target, join(root, 'out', 'lab'));
    const result = buildProject(exampleProject(), { outDir: join(root, 'out'), env: {} });
    expect(codes(result)).toEqual(['emit/not-kindling-output']);
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });

  it('refuses the output of another cluster', () => {
    const out = join(tempDir(), 'out');
    const other = exampleProject({ 'cluster.yaml': (text) => text.replace('name: lab', 'name: other') });
    expect(buildProject(other, { outDir: out, env: {} }).ok).toBe(true);
    // The same folder, now under the name of the example's cluster.
    renameSync(join(out, 'other'), join(out, 'lab'));
    expect(codes(buildProject(exampleProject(), { outDir: out, env: {} }))).toEqual(['emit/not-kindling-output']);
    expect(existsSync(join(out, 'lab', 'manifest.json'))).toBe(true);
  });

  it('refuses an --out that is the profile folder', () => {
    const project = exampleProject();
    const before = readdirSync(project).sort();
    const result = buildProject(project, { outDir: project, env: {} });
    expect(codes(result)).toEqual(['emit/overlaps-project']);
    expect(readdirSync(project).sort()).toEqual(before);
  });

  it('refuses an --out that contains the profile folder, even when the cluster folder would be the profiles themselves', () => {
    const project = exampleProject({ 'cluster.yaml': (text) => text.replace('name: lab', 'name: profiles') });
    const before = readdirSync(project).sort();
    const result = buildProject(project, { outDir: dirname(project), env: {} });
    expect(codes(result)).toEqual(['emit/overlaps-project']);
    expect(readdirSync(project).sort()).toEqual(before);
  });

  it('refuses an output that would lie inside the profile folder', () => {
    const project = exampleProject();
    expect(codes(buildProject(project, { outDir: join(project, 'build'), env: {} }))).toEqual(['emit/overlaps-project']);
    expect(existsSync(join(project, 'build'))).toBe(false);
  });

  it('builds into an empty folder someone made for it', () => {
    const out = join(tempDir(), 'out');
    mkdirSync(join(out, 'lab'), { recursive: true });
    expect(buildProject(exampleProject(), { outDir: out, env: {} }).ok).toBe(true);
    expect(existsSync(join(out, 'lab', 'manifest.json'))).toBe(true);
  });
});
