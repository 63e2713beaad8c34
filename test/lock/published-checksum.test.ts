import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChecksumFileError,
  assetFileName,
  digestFor,
  fetchPublishedChecksum,
  parseChecksumFile,
} from '../../src/lock/published-checksum.ts';
import { sendBytes, startLocalServer, testBytes } from './local-server.ts';
import type { LocalServer } from './local-server.ts';

let server: LocalServer;
let dir: string;
// The local server speaks plain http, which a download must allow explicitly.
const noWait = { sleep: async () => {}, backoffMs: 1, allowHttp: true };

beforeAll(async () => {
  server = await startLocalServer();
  dir = mkdtempSync(join(tmpdir(), 'kindling-sums-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parseChecksumFile', () => {
  it('reads what the real sha256sum and sha512sum -b print', () => {
    const name = 'cni-plugins-linux-amd64-v1.9.1.tgz';
    const body = testBytes(5000, 23);
    writeFileSync(join(dir, name), body);
    const text256 = execFileSync('sha256sum', [name], { cwd: dir, encoding: 'utf8' });
    const text512 = execFileSync('sha512sum', ['-b', name], { cwd: dir, encoding: 'utf8' });
    expect(digestFor(parseChecksumFile(text256, 'sha256'), name)).toBe(createHash('sha256').update(body).digest('hex'));
    expect(digestFor(parseChecksumFile(text512, 'sha512'), name)).toBe(createHash('sha512').update(body).digest('hex'));
  });

  it('skips blank lines and comments and lower-cases the digest', () => {
    const hex = 'AB'.repeat(32);
    const lines = parseChecksumFile(`# made by hand\n\n${hex}  ./a.tgz\r\n`, 'sha256');
    expect(lines).toEqual([{ hex: hex.toLowerCase(), fileName: './a.tgz', line: 3 }]);
    expect(digestFor(lines, 'a.tgz')).toBe(hex.toLowerCase());
  });

  it('rejects a digest of the wrong length for the algorithm', () => {
    expect(() => parseChecksumFile(`${'a'.repeat(64)}  x.tgz\n`, 'sha512')).toThrow(/64-digit digest; sha512 has 128/);
  });

  it('rejects lines that are not checksum lines, and an empty file', () => {
    expect(() => parseChecksumFile('<html>Not Found</html>\n', 'sha256')).toThrow(ChecksumFileError);
    expect(() => parseChecksumFile('\n# nothing\n', 'sha256')).toThrow(/lists no digest/);
  });
});

describe('digestFor', () => {
  const lines = parseChecksumFile(`${'1'.repeat(64)}  a.tgz\n${'2'.repeat(64)}  b.tgz\n`, 'sha256');

  it('picks the entry for the asset among several', () => {
    expect(digestFor(lines, 'b.tgz')).toBe('2'.repeat(64));
  });

  it('says which names the file lists when the asset is missing', () => {
    expect(() => digestFor(lines, 'c.tgz')).toThrow(/no entry for c\.tgz \(it lists: a\.tgz, b\.tgz\)/);
  });

  it('refuses a file that lists the asset twice with different digests', () => {
    const twice = parseChecksumFile(`${'1'.repeat(64)}  a.tgz\n${'2'.repeat(64)} *a.tgz\n`, 'sha256');
    expect(() => digestFor(twice, 'a.tgz')).toThrow(/twice/);
  });
});

describe('assetFileName', () => {
  it('takes the decoded last path segment', () => {
    expect(assetFileName('https://github.com/o/r/releases/download/v1/flannel%2Bx-amd64?x=1')).toBe('flannel+x-amd64');
  });
});

describe('fetchPublishedChecksum', () => {
  it('fetches a .sha512 file and returns the digest for the artifact', async () => {
    const hex = 'c'.repeat(128);
    server.route('/v1.9.1/plugins.tgz.sha512', (_req, res) => sendBytes(res, Buffer.from(`${hex}  plugins.tgz\n`)));
    const published = await fetchPublishedChecksum(`${server.base}/v1.9.1/plugins.tgz.sha512`, `${server.base}/v1.9.1/plugins.tgz`, 'sha512', noWait);
    expect(published).toEqual({ algorithm: 'sha512', url: `${server.base}/v1.9.1/plugins.tgz.sha512`, hex, text: `${hex}  plugins.tgz\n` });
  });

  it('names the checksum URL when the file is not a checksum file', async () => {
    server.route('/page.sha256', (_req, res) => sendBytes(res, Buffer.from('<!doctype html>\n')));
    await expect(fetchPublishedChecksum(`${server.base}/page.sha256`, `${server.base}/page`, 'sha256', noWait)).rejects.toThrow(
      new RegExp(`^${server.base.replaceAll('.', '\\.')}/page\\.sha256: line 1`),
    );
  });
});
