/**
 * The VM's disk: an ext4 image made from a directory with `mkfs.ext4 -d` (no mount, no loop device),
 * and read back after the VM powered off with `debugfs` — the second, independent look at what first
 * boot left on disk.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runChecked } from '../harness/run.ts';

const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/** A sparse raw image of `size` (mkfs syntax, e.g. '3G') holding a copy of `root`, labelled `root`. */
export async function makeDiskImage(root: string, image: string, size = '3G'): Promise<void> {
  await runChecked('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', root, image, size], {
    env: { ...process.env, PATH: SBIN_PATH },
    killAfterMs: 300_000,
  });
}

export interface DiskEntry {
  readonly type: 'regular' | 'directory' | 'symlink' | 'other';
  /** Permission bits (e.g. 0o600). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

async function debugfs(image: string, request: string) {
  // -c: catastrophic mode is read-only and skips the bitmaps, which is all a read needs.
  return run('debugfs', ['-c', '-R', request, image], { env: { ...process.env, PATH: SBIN_PATH }, killAfterMs: 60_000 });
}

/** `debugfs stat`, or undefined when the path does not exist in the image. */
export async function statOnDisk(image: string, path: string): Promise<DiskEntry | undefined> {
  const result = await debugfs(image, `stat "${path}"`);
  const text = result.stdout;
  const type = /Type:\s+(\w+)/.exec(text)?.[1];
  const mode = /Mode:\s+(\d+)/.exec(text)?.[1];
  const owner = /User:\s+(\d+)\s+Group:\s+(\d+)/.exec(text);
  if (!type || !mode || !owner) return undefined;
  return {
    type: type === 'regular' || type === 'directory' || type === 'symlink' ? type : 'other',
    mode: parseInt(mode, 8) & 0o7777,
    uid: Number(owner[1]),
    gid: Number(owner[2]),
  };
}

/** The bytes of a regular file in the image, or undefined when it is not there. */
export async function readOnDisk(image: string, path: string): Promise<Buffer | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-debugfs-'));
  try {
    const out = join(dir, 'file');
    await debugfs(image, `dump "${path}" ${out}`);
    return existsSync(out) ? readFileSync(out) : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names in a directory of the image (without . and ..), or undefined when it is not there. */
export async function listOnDisk(image: string, path: string): Promise<string[] | undefined> {
  const result = await debugfs(image, `ls -p "${path}"`);
  const names = result.stdout
    .split('\n')
    .map((line) => line.split('/'))
    .filter((fields) => fields.length >= 6)
    .map((fields) => fields[5] ?? '')
    .filter((name) => name !== '' && name !== '.' && name !== '..');
  return /File not found|not a directory/i.test(result.stderr) ? undefined : names;
}
