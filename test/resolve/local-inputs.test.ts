/**
 * Every file a project reads (profiles, `contents.local`, template overrides, secrets, the lock file)
 * must be a regular file of at most 16 MiB, and local files and templates must lie inside the project
 * unless the Cluster's `localFiles.allow` names their folder. Problems are located at the reference.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/build/load-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';

const W = 'roles/worker.yaml';
const C = 'cluster.yaml';
const LOCAL = (path: string) => replaceOnce('      inline: worker\n', `      local: ${path}\n`);

/** The errors a project gives, as code and place relative to the project. */
function errorsOf(dir: string): { code: string; at: string }[] {
  const loaded = loadProject(dir, { env: {} });
  const diagnostics = [...loaded.diagnostics, ...(loaded.project ? compileProject(loaded.project).diagnostics : [])];
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, at: d.location ? `${d.location.file.slice(d.location.file.indexOf('profiles/') + 'profiles/'.length)}:${d.location.line}:${d.location.column}` : '' }));
}

describe('files a project reads are regular files of bounded size', () => {
  it('rejects a contents.local that is a FIFO, without waiting for a writer', () => {
    const dir = exampleProject({ [W]: LOCAL('fifo') });
    execFileSync('mkfifo', [join(dir, 'roles/fifo')]);
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: `${W}:9:14` }]);
  });

  it('rejects a contents.local that is a symlink to a device', () => {
    const dir = exampleProject({ [W]: LOCAL('null') });
    symlinkSync('/dev/null', join(dir, 'roles/null'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: `${W}:9:14` }]);
  });

  it('rejects a contents.local that is a symlink to /dev/zero, at once', () => {
    const dir = exampleProject({ [W]: LOCAL('zero') });
    symlinkSync('/dev/zero', join(dir, 'roles/zero'));
    const started = performance.now();
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: `${W}:9:14` }]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects a contents.local that is a directory', () => {
    const dir = exampleProject({ [W]: LOCAL('folder') });
    mkdirSync(join(dir, 'roles/folder'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: `${W}:9:14` }]);
  });

  it('rejects a contents.local one byte over 16 MiB and accepts one of exactly 16 MiB', () => {
    const dir = exampleProject({ [W]: LOCAL('big.bin') });
    writeFileSync(join(dir, 'roles/big.bin'), '');
    truncateSync(join(dir, 'roles/big.bin'), 16 * 1024 * 1024 + 1);
    expect(errorsOf(dir)).toEqual([{ code: 'io/too-large', at: `${W}:9:14` }]);
    truncateSync(join(dir, 'roles/big.bin'), 16 * 1024 * 1024);
    expect(loadProject(dir, { env: {} }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('rejects a token file that is a symlink to a device, at the reference', () => {
    const dir = exampleProject();
    const token = join(dir, 'secrets/flannel.token');
    execFileSync('rm', [token]);
    symlinkSync('/dev/null', token);
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: `${C}:14:20` }]);
  });

  it('rejects a profile file that is a symlink to a device', () => {
    const dir = exampleProject();
    symlinkSync('/dev/null', join(dir, 'extra.yaml'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: 'extra.yaml:1:1' }]);
  });

  it('rejects a profile file over 16 MiB', () => {
    const dir = exampleProject({ 'extra.yaml': '# a large file\n' });
    truncateSync(join(dir, 'extra.yaml'), 16 * 1024 * 1024 + 1);
    expect(errorsOf(dir)).toEqual([{ code: 'io/too-large', at: 'extra.yaml:1:1' }]);
  });

  it('rejects a template override that is a FIFO', () => {
    const dir = exampleProject();
    mkdirSync(join(dir, 'templates'));
    execFileSync('mkfifo', [join(dir, 'templates/flanneld.service.hbs')]);
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: 'templates/flanneld.service.hbs:1:1' }]);
  });

  it('rejects a lock file that is a directory, at downloads.lockFile', () => {
    const dir = exampleProject({ [C]: replaceOnce('  allowUnpinned: true\n', '  allowUnpinned: true\n  lockFile: pins.lock\n') });
    mkdirSync(join(dir, 'pins.lock'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: `${C}:31:13` }]);
  });

  it('rejects a lock file beside the cluster file that is a symlink to a device, at the lock file', () => {
    const dir = exampleProject();
    symlinkSync('/dev/null', join(dir, 'kindling.lock'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/not-a-file', at: 'kindling.lock:1:1' }]);
  });
});

describe('local files stay inside the project', () => {
  it('rejects a contents.local outside the project folder', () => {
    const outside = join(tempDir(), 'outside.txt');
    writeFileSync(outside, 'secret\n');
    const dir = exampleProject({ [W]: LOCAL(outside) });
    expect(errorsOf(dir)).toEqual([{ code: 'io/outside-project', at: `${W}:9:14` }]);
  });

  it('rejects a contents.local that climbs out with ..', () => {
    const dir = exampleProject({ [W]: LOCAL('../../outside.txt') });
    writeFileSync(join(dir, '../outside.txt'), 'secret\n');
    expect(errorsOf(dir)).toEqual([{ code: 'io/outside-project', at: `${W}:9:14` }]);
  });

  it('rejects a contents.local that is a symlink inside the project to a file outside it', () => {
    const outside = join(tempDir(), 'outside.txt');
    writeFileSync(outside, 'secret\n');
    const dir = exampleProject({ [W]: LOCAL('link.txt') });
    symlinkSync(outside, join(dir, 'roles/link.txt'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/outside-project', at: `${W}:9:14` }]);
  });

  it('accepts a contents.local outside the project in a folder the cluster allows', () => {
    const shared = tempDir();
    writeFileSync(join(shared, 'motd'), 'hello\n');
    const dir = exampleProject({
      [W]: LOCAL(join(shared, 'motd')),
      [C]: replaceOnce('\ndefaults:\n', `\nlocalFiles:\n  allow: [${shared}]\n\ndefaults:\n`),
    });
    const loaded = loadProject(dir, { env: {} });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const file = loaded.project!.nodes.find((n) => n.name === 'worker-1')!.files.find((f) => f.path === '/etc/kindling/role');
    expect(file?.contents).toEqual({ kind: 'inline', text: 'hello\n' });
  });

  it('still rejects a file outside both the project and the allowed folders', () => {
    const shared = tempDir();
    const other = join(tempDir(), 'other.txt');
    writeFileSync(other, 'x\n');
    const dir = exampleProject({
      [W]: LOCAL(other),
      [C]: replaceOnce('\ndefaults:\n', `\nlocalFiles:\n  allow: [${shared}]\n\ndefaults:\n`),
    });
    expect(errorsOf(dir)).toEqual([{ code: 'io/outside-project', at: `${W}:9:14` }]);
  });

  it('rejects an allowed folder that does not exist, at its entry', () => {
    const dir = exampleProject({ [C]: replaceOnce('\ndefaults:\n', `\nlocalFiles:\n  allow: [/nonexistent/kindling-shared]\n\ndefaults:\n`) });
    expect(errorsOf(dir)).toEqual([{ code: 'io/unreadable', at: `${C}:33:11` }]);
  });

  it('rejects a template override that is a symlink to a file outside the project', () => {
    const outside = join(tempDir(), 'unit.hbs');
    writeFileSync(outside, '[Service]\nExecStart=/bin/true\n');
    const dir = exampleProject();
    mkdirSync(join(dir, 'templates'));
    symlinkSync(outside, join(dir, 'templates/flanneld.service.hbs'));
    expect(errorsOf(dir)).toEqual([{ code: 'io/outside-project', at: 'templates/flanneld.service.hbs:1:1' }]);
  });
});
