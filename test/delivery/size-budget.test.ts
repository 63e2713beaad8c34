import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadProject } from '../../src/build/load-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { checkBudget, countedSize, deterministicGzip, PLATFORM_BUDGETS } from '../../src/delivery/size-budget.ts';
import type { Platform } from '../../src/validate/profile-types.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { runIgnitionValidate } from '../helpers/ignition-validate.ts';

/** Debian's real Ignition 2.14.0 binary (the dracut module's), run here for its fetch stage only. */
const IGNITION = '/usr/lib/dracut/modules.d/30ignition/ignition';

const origin = { file: 'profiles/nodes/nodes.yaml', line: 1, column: 1 };
const nodeOn = (platform: Platform) => ({ name: 'worker-2', platform, origin });

/** Text that does not compress: hex of a sha256 chain. */
function incompressible(bytes: number): string {
  let out = '';
  let h = 'seed';
  while (out.length < bytes) out += h = createHash('sha256').update(h).digest('base64');
  return out.slice(0, bytes);
}

/** The example's artifacts for one node, with a large (compressible) file added to the worker role. */
function exampleArtifacts(node: string, inline: string): Map<string, Uint8Array> {
  const dir = exampleProject({ 'roles/worker.yaml': replaceOnce('      inline: worker\n', `      inline: ${JSON.stringify(inline)}\n`) });
  const project = loadProject(dir, { env: {} }).project!;
  const { builds } = compileProject(project);
  const build = builds.find((b) => b.node.name === node)!;
  return new Map(build.artifacts.map((a) => [a.name, typeof a.data === 'string' ? new Uint8Array(Buffer.from(a.data)) : a.data]));
}

describe('checkBudget', () => {
  it('holds each platform to its documented limit, counted raw or as base64', () => {
    expect(PLATFORM_BUDGETS).toEqual({
      aws: { limit: 16384, counted: 'raw' },
      azure: { limit: 65535, counted: 'raw' },
      openstack: { limit: 65535, counted: 'base64' },
      gcp: { limit: 262144, counted: 'raw' },
      vmware: { limit: 524288, counted: 'raw' },
    });
    for (const [platform, budget] of Object.entries(PLATFORM_BUDGETS) as [Platform, { limit: number; counted: 'raw' | 'base64' }][]) {
      const largest = budget.counted === 'raw' ? budget.limit : Math.floor(budget.limit / 4) * 3;
      const fitting = checkBudget({ node: nodeOn(platform), kind: 'ignition', payload: incompressible(largest) });
      expect(fitting.delivered?.form, platform).toBe('as-is');
      const over = checkBudget({ node: nodeOn(platform), kind: 'ignition', payload: incompressible(largest + 1) });
      expect(over.delivered, platform).toBeUndefined();
      expect(over.diagnostics.map((d) => d.code)).toEqual(['size/over-budget']);
    }
    expect(countedSize(49_149, PLATFORM_BUDGETS.openstack!)).toBe(65_532);
    expect(countedSize(49_152, PLATFORM_BUDGETS.openstack!)).toBe(65_536);
  });

  it('leaves metal and qemu payloads alone whatever their size', () => {
    for (const platform of ['metal', 'qemu'] as const) {
      const result = checkBudget({ node: nodeOn(platform), kind: 'user-data', payload: incompressible(1_000_000) });
      expect(result.delivered?.form).toBe('as-is');
      expect(result.diagnostics).toEqual([]);
    }
  });

  it('gzips over-budget user-data into a form cloud-init 22.4 decodes back to the valid cloud-config', () => {
    const userData = exampleArtifacts('worker-2', 'worker\n'.repeat(4000)).get('user-data')!;
    expect(userData.byteLength).toBeGreaterThan(16_384);
    const result = checkBudget({ node: nodeOn('aws'), kind: 'user-data', payload: userData });
    expect(result.diagnostics).toEqual([]);
    expect(result.delivered!.form).toBe('gzip');
    expect(result.delivered!.size).toBeLessThanOrEqual(16_384);
    expect(Buffer.from(gunzipSync(result.delivered!.data)).equals(Buffer.from(userData))).toBe(true);

    // cloud-init's own user-data processing: gzip magic detected, decompressed, part typed as cloud-config.
    const dir = tempDir();
    writeFileSync(join(dir, 'user-data.gz'), result.delivered!.data);
    const python = [
      'import sys',
      'from cloudinit import user_data, helpers',
      "paths = helpers.Paths({'cloud_dir': sys.argv[3]})",
      "msg = user_data.UserDataProcessor(paths).process(open(sys.argv[1], 'rb').read())",
      'parts = [p for p in msg.walk() if not p.is_multipart()]',
      "assert len(parts) == 1, len(parts)",
      "sys.stdout.write(parts[0].get_content_type() + '\\n')",
      "open(sys.argv[2], 'wb').write(parts[0].get_payload(decode=True))",
    ].join('\n');
    const decoded = join(dir, 'decoded');
    const type = execFileSync('/usr/bin/python3', ['-c', python, join(dir, 'user-data.gz'), decoded, join(dir, 'cloud')], { encoding: 'utf8' });
    expect(type.trim()).toBe('text/cloud-config');
    const schema = spawnSync('cloud-init', ['schema', '-c', decoded], { encoding: 'utf8' });
    expect(schema.status, schema.stdout + schema.stderr).toBe(0);
    expect(schema.stdout).toContain('Valid cloud-config');
  });

  it('reports user-data still over budget after gzip, naming node, size, limit and remedy', () => {
    const result = checkBudget({ node: nodeOn('aws'), kind: 'user-data', payload: `#cloud-config\n# ${incompressible(30_000)}\n` });
    expect(result.delivered).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    const d = result.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'size/over-budget', severity: 'error', location: origin });
    expect(d.message).toMatch(/^the user-data of node 'worker-2' is 30,017 B and still 2\d,\d{3} B gzip-compressed; aws allows 16,384 B$/);
    expect(d.hint).toMatch(/seed\.iso/);
  });

  it('replaces an over-budget Ignition config with a pointer that ignition-validate accepts and whose hash matches', () => {
    const config = exampleArtifacts('worker-1', incompressible(20_000)).get('config.ign')!;
    expect(config.byteLength).toBeGreaterThan(16_384);
    const result = checkBudget({ node: { ...nodeOn('aws'), name: 'worker-1' }, kind: 'ignition', payload: config, publishURL: 'https://pxe.example/out/lab' });
    expect(result.diagnostics).toEqual([]);
    expect(result.delivered!.form).toBe('pointer');
    const text = Buffer.from(result.delivered!.data).toString('utf8');
    const validated = runIgnitionValidate(text);
    expect(validated, validated.output).toEqual({ status: 0, output: '' });
    const pointer = JSON.parse(text);
    expect(pointer).toEqual({
      ignition: {
        config: { replace: { source: 'https://pxe.example/out/lab/nodes/worker-1/config.ign', verification: { hash: `sha512-${createHash('sha512').update(config).digest('hex')}` } } },
        version: '3.3.0',
      },
    });
  });

  it('gives a pointer the real Ignition fetch stage follows to the full config, and refuses a tampered one', async () => {
    const config = exampleArtifacts('worker-1', incompressible(20_000)).get('config.ign')!;
    let served: Uint8Array = config;
    const server = createServer((req, res) => {
      if (req.url === '/lab/nodes/worker-1/config.ign') res.writeHead(200, { 'content-length': served.byteLength }).end(served);
      else res.writeHead(404, { 'content-length': 0 }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const publishURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab/`;
      const result = checkBudget({ node: { ...nodeOn('aws'), name: 'worker-1' }, kind: 'ignition', payload: config, publishURL });
      expect(result.delivered?.form).toBe('pointer');
      const dir = tempDir();
      writeFileSync(join(dir, 'pointer.ign'), result.delivered!.data);
      const fetchStage = async (): Promise<{ status: number; output: string }> => {
        const run = spawn(
          IGNITION,
          ['-platform', 'file', '-stage', 'fetch', '-root', join(dir, 'root'), '-log-to-stdout', '-config-cache', join(dir, 'cache.json'), '-state-file', join(dir, 'state'), '-neednet', join(dir, 'neednet'), '-fetch-timeout', '10s'],
          { env: { ...process.env, IGNITION_CONFIG_FILE: join(dir, 'pointer.ign') } },
        );
        let output = '';
        run.stdout.on('data', (d) => (output += d));
        run.stderr.on('data', (d) => (output += d));
        const status = await new Promise<number>((resolve) => run.on('close', (code) => resolve(code ?? -1)));
        return { status, output };
      };
      const ok = await fetchStage();
      expect(ok.status, ok.output).toBe(0);
      expect(ok.output).toContain(`fetched referenced config at ${publishURL}nodes/worker-1/config.ign with SHA512`);
      // The cached result is the full config (re-marshalled with Ignition's defaults filled in).
      type Config = { storage: { files: { path: string; contents?: { source?: string } }[] }; systemd: { units: { name: string; contents?: string }[] } };
      const cached = JSON.parse(readFileSync(join(dir, 'cache.json'), 'utf8')) as Config;
      const full = JSON.parse(Buffer.from(config).toString('utf8')) as Config;
      expect(cached.storage.files.map((f) => [f.path, f.contents?.source])).toEqual(full.storage.files.map((f) => [f.path, f.contents?.source]));
      expect(cached.systemd.units.map((u) => [u.name, u.contents])).toEqual(full.systemd.units.map((u) => [u.name, u.contents]));

      served = new Uint8Array(Buffer.from(Buffer.from(config).toString('utf8').replace('flanneld.service', 'flanneld2.service')));
      rmSync(join(dir, 'cache.json'), { force: true });
      const tampered = await fetchStage();
      expect(tampered.status).not.toBe(0);
      expect(tampered.output).toMatch(/hash/i);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);

  it('reports an over-budget Ignition config when no publishURL is set, pointing at the setting', () => {
    const result = checkBudget({ node: nodeOn('azure'), kind: 'ignition', payload: incompressible(70_000) });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([['size/over-budget', "the Ignition config of node 'worker-2' is 70,000 B; azure allows 65,535 B"]]);
    expect(result.diagnostics[0]!.hint).toContain('delivery.publishURL');
  });

  it('compresses deterministically, with a fixed gzip header', () => {
    const data = new Uint8Array(Buffer.from('#cloud-config\n'.repeat(100)));
    const a = deterministicGzip(data);
    expect(Buffer.from(a).equals(Buffer.from(deterministicGzip(data)))).toBe(true);
    expect([...a.slice(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
  });
});
