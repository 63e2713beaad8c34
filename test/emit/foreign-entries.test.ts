/** Files a person put inside a kindling output survive every build that replaces it, or the build refuses and says why. */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProject } from '../../src/build/build-project.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { EXAMPLE } from '../helpers/project.ts';

function builtExample(): { out: string; lab: string } {
  const out = join(tempDir(), 'out');
  expect(buildProject(EXAMPLE, { outDir: out, env: {} }).ok).toBe(true);
  return { out, lab: join(out, 'lab') };
}

const changedRole = (): string => exampleProject({ 'roles/worker.yaml': replaceOnce('inline: worker', 'inline: worker-changed') });

describe('entries a person added to an output', () => {
  it('keeps a boot-asset folder, a note in a node folder and a symbolic link through a rebuild that changes a node', () => {
    const { out, lab } = builtExample();
    mkdirSync(join(lab, 'assets', 'fcos'), { recursive: true });
    writeFileSync(join(lab, 'assets', 'fcos', 'kernel'), 'kernel bytes');
    chmodSync(join(lab, 'assets'), 0o750);
    writeFileSync(join(lab, 'nodes', 'cp-1', 'NOTES'), 'rack 4');
    symlinkSync('assets/fcos/kernel', join(lab, 'kernel'));
    const result = buildProject(changedRole(), { outDir: out, env: {} });
    expect(result.emit?.changed).toBe(true);
    expect(readFileSync(join(lab, 'assets', 'fcos', 'kernel'), 'utf8')).toBe('kernel bytes');
    expect(statSync(join(lab, 'assets')).mode & 0o7777).toBe(0o750);
    expect(readFileSync(join(lab, 'nodes', 'cp-1', 'NOTES'), 'utf8')).toBe('rack 4');
    expect(readlinkSync(join(lab, 'kernel'))).toBe('assets/fcos/kernel');
    expect(readFileSync(join(lab, 'nodes', 'worker-1', 'config.bu'), 'utf8')).toContain('worker-changed');
  });

  it('keeps a file in the folder of a node removed from the profiles, and removes the files kindling wrote there', () => {
    const { out, lab } = builtExample();
    writeFileSync(join(lab, 'nodes', 'worker-2', 'serial-console.log'), 'boot log');
    const nodes = readFileSync(join(EXAMPLE, 'nodes/nodes.yaml'), 'utf8').split(/^---$/m);
    const result = buildProject(exampleProject({ 'nodes/nodes.yaml': nodes.slice(0, 2).join('---') }), { outDir: out, env: {} });
    expect(result.ok).toBe(true);
    expect(readdirSync(join(lab, 'nodes', 'worker-2'))).toEqual(['serial-console.log']);
    expect(statSync(join(lab, 'nodes', 'worker-2')).mode & 0o7777).toBe(0o700);
  });

  it('keeps a person\'s own pxe/ files beside the ones a build adds there', () => {
    const { out, lab } = builtExample();
    mkdirSync(join(lab, 'pxe'));
    writeFileSync(join(lab, 'pxe', 'undionly.kpxe'), 'ipxe rom');
    const withPxe = exampleProject({ 'cluster.yaml': (text) => `${text}delivery:\n  publishURL: http://10.0.0.1:8080/lab/\n` });
    const result = buildProject(withPxe, { outDir: out, env: {} });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(readFileSync(join(lab, 'pxe', 'undionly.kpxe'), 'utf8')).toBe('ipxe rom');
    expect(existsSync(join(lab, 'pxe', 'boot.ipxe'))).toBe(true);
  });

  it('refuses a build that would write a file where a person put a folder, and changes nothing', () => {
    const { out, lab } = builtExample();
    const withPxe = exampleProject({ 'cluster.yaml': (text) => `${text}delivery:\n  publishURL: http://10.0.0.1:8080/lab/\n` });
    mkdirSync(join(lab, 'pxe', 'boot.ipxe'), { recursive: true });
    writeFileSync(join(lab, 'pxe', 'boot.ipxe', 'mine'), 'x');
    const manifest = readFileSync(join(lab, 'manifest.json'), 'utf8');
    const result = buildProject(withPxe, { outDir: out, env: {} });
    expect(result.ok).toBe(false);
    const error = result.diagnostics.find((d) => d.severity === 'error')!;
    expect(error.code).toBe('emit/foreign-entry');
    expect(error.message).toContain('pxe/boot.ipxe');
    expect(readFileSync(join(lab, 'pxe', 'boot.ipxe', 'mine'), 'utf8')).toBe('x');
    expect(readFileSync(join(lab, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(readdirSync(out).filter((n) => n.includes('.staging-') || n.includes('.previous-'))).toEqual([]);
  });
});
