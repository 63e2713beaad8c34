import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCKFILE_NAME,
  createLockfile,
  diffLock,
  parseLockfile,
  readLockfile,
  serializeLockfile,
  writeLockfile,
} from '../../src/lock/lockfile.ts';
import type { LockEntry } from '../../src/lock/lockfile.ts';

function entry(url: string, seed: string, size = seed.length * 1000): LockEntry {
  return {
    url,
    sha256: createHash('sha256').update(seed).digest('hex'),
    sha512: createHash('sha512').update(seed).digest('hex'),
    size,
  };
}

const A = entry('https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64', 'a');
const B = entry('https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-arm64', 'bb');
const C = entry('https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz', 'ccc');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serializeLockfile and parseLockfile', () => {
  it('round-trips entries, sorted by URL whatever order they came in', () => {
    const text = serializeLockfile(createLockfile([B, A, C]));
    const parsed = parseLockfile(text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.lockfile?.artifacts).toEqual([C, A, B]);
    expect(serializeLockfile(createLockfile([C, B, A]))).toBe(text);
  });

  it('writes a stable, reviewable text form', () => {
    const text = serializeLockfile(createLockfile([A]));
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'version: 1',
      'artifacts:',
      `  - url: "${A.url}"`,
      `    sha256: ${A.sha256}`,
      `    sha512: ${A.sha512}`,
      `    size: ${A.size}`,
      '',
    ]);
  });

  it('is read back identically by an independent YAML reader (PyYAML)', () => {
    const file = join(dir, 'pyyaml.lock');
    const odd = { ...A, url: `${A.url}?x=1&y='z'`, sha256: `${'1'.repeat(60)}e123` };
    writeFileSync(file, serializeLockfile(createLockfile([odd, B])));
    const json = execFileSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file], {
      encoding: 'utf8',
    });
    expect(JSON.parse(json)).toEqual({ version: 1, artifacts: [odd, B] });
  });

  it('keeps a digest made only of digits and e a string', () => {
    const numeric = { ...A, sha256: '1'.repeat(64), sha512: `${'2'.repeat(100)}e${'3'.repeat(27)}` };
    const text = serializeLockfile(createLockfile([numeric]));
    expect(parseLockfile(text).lockfile?.artifacts).toEqual([numeric]);
  });

  it('writes an empty lock file that parses back empty', () => {
    const text = serializeLockfile({ artifacts: [] });
    expect(parseLockfile(text)).toEqual({ lockfile: { artifacts: [] }, diagnostics: [] });
  });

  it('refuses one URL pinned to two different hashes', () => {
    expect(() => createLockfile([A, { ...A, size: 1 }])).toThrow(/pinned twice/);
  });
});

describe('parseLockfile errors', () => {
  it('reports a YAML syntax error with its line', () => {
    const result = parseLockfile('version: 1\nartifacts:\n  - url: "unterminated\n', 'profiles/kindling.lock');
    expect(result.lockfile).toBeUndefined();
    expect(result.diagnostics[0]).toMatchObject({ code: 'yaml/syntax', location: { file: 'profiles/kindling.lock' } });
  });

  it('reports every bad entry at once, each at its own line and column', () => {
    const text = [
      'version: 1',
      'artifacts:',
      `  - url: ${A.url}`,
      `    sha256: ${A.sha256.slice(1)}`,
      `    sha512: ${A.sha512}`,
      `    size: ${A.size}`,
      `  - url: ${B.url}`,
      `    sha256: ${B.sha256}`,
      `    size: -5`,
      `    colour: blue`,
      `  - url: ${A.url}`,
      `    sha256: ${A.sha256}`,
      `    sha512: ${A.sha512}`,
      `    size: ${A.size}`,
      `  - url: ftp://example.test/x`,
      `    sha256: ${A.sha256}`,
      `    sha512: ${A.sha512.toUpperCase()}`,
      `    size: 1`,
      '',
    ].join('\n');
    const result = parseLockfile(text, 'kindling.lock');
    expect(result.lockfile).toBeUndefined();
    const found = result.diagnostics.map((d) => [d.code, d.location?.line, d.location?.column]);
    expect(found).toEqual([
      ['artifact/invalid-hash', 4, 13],
      ['schema/unknown-key', 10, 5],
      ['schema/missing-key', 7, 5],
      ['schema/invalid', 11, 10],
      ['url/invalid', 15, 10],
      ['artifact/invalid-hash', 17, 13],
    ]);
    for (const d of result.diagnostics) expect(d.hint).toBeTruthy();
  });

  it('reports a size that is not a whole number', () => {
    const text = `version: 1\nartifacts:\n  - url: ${A.url}\n    sha256: ${A.sha256}\n    sha512: ${A.sha512}\n    size: 1.5\n`;
    expect(parseLockfile(text).diagnostics.map((d) => d.code)).toEqual(['schema/type']);
  });

  it('reports an unsupported version, a missing artifacts list and unknown keys', () => {
    expect(parseLockfile('version: 2\nartifacts: []\n').diagnostics.map((d) => d.code)).toEqual(['schema/enum']);
    expect(parseLockfile('version: 1\n').diagnostics.map((d) => d.code)).toEqual(['schema/missing-key']);
    expect(parseLockfile('version: 1\nartifacts: []\nextra: 1\n').diagnostics.map((d) => d.code)).toEqual(['schema/unknown-key']);
    expect(parseLockfile('- a\n').diagnostics.map((d) => d.code)).toEqual(['yaml/not-a-mapping']);
    expect(parseLockfile('version: 1\nversion: 1\nartifacts: []\n').diagnostics.map((d) => d.code)).toEqual(['yaml/duplicate-key']);
  });
});

describe('diffLock', () => {
  it('finds added, removed, changed and unchanged entries', () => {
    const replaced = entry(B.url, 'replaced');
    const diff = diffLock(createLockfile([A, B]), createLockfile([B, C].map((e) => (e === B ? replaced : e))));
    expect(diff.added).toEqual([C]);
    expect(diff.removed).toEqual([A]);
    expect(diff.changed).toEqual([{ url: B.url, before: B, after: replaced }]);
    expect(diff.unchanged).toBe(0);
  });

  it('reports no drift for a lock file compared with itself re-read', () => {
    const lock = createLockfile([A, B, C]);
    const reread = parseLockfile(serializeLockfile(lock)).lockfile ?? { artifacts: [] };
    const diff = diffLock(lock, reread);
    expect(diff).toEqual({ added: [], removed: [], changed: [], unchanged: 3 });
  });

  it('counts only new URLs as additions, which is not drift', () => {
    const diff = diffLock(createLockfile([A]), createLockfile([A, B]));
    expect(diff.changed).toEqual([]);
    expect(diff.added).toEqual([B]);
  });
});

describe('readLockfile and writeLockfile', () => {
  it('treats a missing lock file as empty', async () => {
    expect(await readLockfile(join(dir, 'none', 'kindling.lock'))).toEqual({ lockfile: { artifacts: [] }, diagnostics: [] });
  });

  it('writes next to the profiles, leaves no temporary file, and skips an identical rewrite', async () => {
    const profiles = mkdtempSync(join(dir, 'profiles-'));
    const path = join(profiles, LOCKFILE_NAME);
    expect(await writeLockfile(path, createLockfile([B, A]))).toBe(true);
    const mtime = statSync(path).mtimeMs;
    expect(await writeLockfile(path, createLockfile([A, B]))).toBe(false);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(readdirSync(profiles)).toEqual(['kindling.lock']);
    const read = await readLockfile(path);
    expect(read.lockfile?.artifacts.find((e) => e.url === B.url)).toEqual(B);
    expect(readFileSync(path, 'utf8')).toBe(serializeLockfile(createLockfile([A, B])));
  });

  it('reports a lock file that is a directory', async () => {
    const result = await readLockfile(dir);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['io/not-a-file']);
  });

  it('refuses a lock file that is a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(mkdtempSync(join(dir, 'fifo-')), 'kindling.lock');
    execFileSync('mkfifo', [fifo]);
    // Should the read wait for a writer after all, become that writer after a while so the test ends.
    const watchdog = setTimeout(() => closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)), 3_000);
    try {
      const result = await readLockfile(fifo);
      expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([['io/not-a-file', `${fifo} could not be read: a FIFO (named pipe), not a regular file`]]);
    } finally {
      clearTimeout(watchdog);
    }
  });

  it('refuses a lock file over 16 MiB without parsing it', async () => {
    const path = join(mkdtempSync(join(dir, 'huge-')), 'kindling.lock');
    writeFileSync(path, `${'#'.repeat(16 * 1024 * 1024)}\n`);
    const result = await readLockfile(path);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['io/too-large']);
  });
});
