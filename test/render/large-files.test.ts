/**
 * Valid input at the size limit builds: a 16 MiB incompressible file and a 16 MiB text file, named
 * by `contents.local`, go into the configs of an Ignition node (Fedora CoreOS; Flatcar shares the
 * path) and a cloud-init node.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { buildProject } from '../../src/build/build-project.ts';
import { MAX_INPUT_BYTES } from '../../src/io/bounded-file.ts';
import { gunzipSync } from 'node:zlib';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { pseudoRandomBytes, sha256 } from '../pack/tools.ts';

const FILES = '  - path: /var/lib/big.bin\n    contents:\n      local: ../blobs/big.bin\n  - path: /var/lib/big.txt\n    contents:\n      local: ../blobs/big.txt\n';

describe('files at the size limit', () => {
  it('builds 16 MiB of random bytes and 16 MiB of text into an Ignition node and a cloud-init node', { timeout: 300_000 }, () => {
    const bytes = pseudoRandomBytes(MAX_INPUT_BYTES, 21);
    const line = 'a line of text that repeats, as logs and certificates bundles do\n';
    const text = line.repeat(Math.floor(MAX_INPUT_BYTES / line.length));
    const dir = exampleProject({
      'roles/worker.yaml': replaceOnce('files:\n', `files:\n${FILES}`),
    });
    mkdirSync(join(dir, 'blobs'));
    writeFileSync(join(dir, 'blobs/big.bin'), bytes);
    writeFileSync(join(dir, 'blobs/big.txt'), text);
    const outDir = join(tempDir(), 'out');
    const result = buildProject(dir, { outDir, env: {}, nodes: ['worker-1', 'worker-2'] });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    const config = JSON.parse(readFileSync(join(outDir, 'lab/nodes/worker-1/config.ign'), 'utf8')) as { storage: { files: { path: string; contents: { source: string; compression?: string } }[] } };
    const payload = (path: string): Uint8Array => {
      const file = config.storage.files.find((f) => f.path === path)!;
      // Files this large are carried in base64 (raw, or gzip-compressed when that is smaller).
      const [head, body] = file.contents.source.split(',', 2) as [string, string];
      expect(head).toBe('data:;base64');
      const data = Buffer.from(body, 'base64');
      return file.contents.compression === 'gzip' ? gunzipSync(data) : data;
    };
    expect(sha256(payload('/var/lib/big.bin'))).toBe(sha256(bytes));
    expect(Buffer.from(payload('/var/lib/big.txt')).toString('utf8')).toBe(text);
    const userData = load(readFileSync(join(outDir, 'lab/nodes/worker-2/user-data'), 'utf8')) as { write_files: { path: string; content: string; encoding?: string }[] };
    const written = (path: string) => userData.write_files.find((f) => f.path === path)!;
    expect(written('/var/lib/big.bin').encoding).toBe('b64');
    expect(sha256(Buffer.from(written('/var/lib/big.bin').content, 'base64'))).toBe(sha256(bytes));
    expect(written('/var/lib/big.txt').content).toBe(text);
  });
});
