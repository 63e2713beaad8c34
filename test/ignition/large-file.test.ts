/**
 * A profile file of valid but large, incompressible contents goes through the whole Ignition path
 * (Butane data URL, Ignition's data URL check, config.ign) without an internal error.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildProject } from '../../src/build/build-project.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { pseudoRandomBytes } from '../pack/tools.ts';

describe('large local files on an Ignition node', () => {
  it('builds a 300 KB incompressible contents.local file into the fcos node config.ign', () => {
    const data = pseudoRandomBytes(300 * 1024, 13);
    const dir = exampleProject({
      'roles/worker.yaml': replaceOnce('      inline: worker\n', '      local: ../blobs/random.bin\n'),
    });
    mkdirSync(join(dir, 'blobs'));
    writeFileSync(join(dir, 'blobs/random.bin'), data);
    const outDir = join(tempDir(), 'out');
    const result = buildProject(dir, { outDir, env: {}, nodes: ['worker-1'] });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = JSON.parse(readFileSync(join(outDir, 'lab/nodes/worker-1/config.ign'), 'utf8'));
    const file = config.storage.files.find((f: { path: string }) => f.path === '/etc/kindling/role');
    const source: string = file.contents.source;
    const payload = Buffer.from(source.slice(source.indexOf(',') + 1), 'base64');
    const bytes = file.contents.compression === 'gzip' ? gunzipSync(payload) : payload;
    expect(Buffer.compare(bytes, Buffer.from(data))).toBe(0);
  });

  it('fails a 300 KB incompressible file on an aws node with a size diagnostic at the node', () => {
    const dir = exampleProject({
      'roles/worker.yaml': replaceOnce('      inline: worker\n', '      local: ../blobs/random.bin\n'),
      'nodes/nodes.yaml': replaceOnce('os: fcos\n', 'os: fcos\nplatform: aws\n'),
    });
    mkdirSync(join(dir, 'blobs'));
    writeFileSync(join(dir, 'blobs/random.bin'), pseudoRandomBytes(300 * 1024, 13));
    const result = buildProject(dir, { outDir: join(tempDir(), 'out'), env: {}, nodes: ['worker-1'] });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.location?.file.replace(/.*profiles\//, ''), d.location?.line, d.location?.column])).toEqual([['size/over-budget', 'nodes/nodes.yaml', 13, 7]]);
    expect(errors[0]!.message).toMatch(/^the Ignition config of node 'worker-1' is [\d,]+ B; aws allows 16,384 B/);
  });
});
