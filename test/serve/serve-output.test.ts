/**
 * kindling serve's server against real requests on 127.0.0.1 (a free port): the example built with
 * a publishURL, so the output holds node configs and PXE scripts, plus a boot-asset folder beside it.
 */
import { mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.ts';
import { serveOutput, type RunningServer } from '../../src/serve/serve-output.ts';
import { ServeError } from '../../src/serve/serve-error.ts';
import { exampleProject, tempDir } from '../helpers/project.ts';

const publishing = (url: string) => exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: ${url}\n` });

function buildInto(out: string, profiles: string): void {
  const result = buildProject(profiles, { outDir: out, env: {} });
  if (!result.ok) throw new Error('the example did not build');
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One raw request: the target is sent exactly as written (fetch would normalise `..` and `%2e`). */
function ask(base: string, target: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveOutput', () => {
  const out = join(tempDir('kindling-serve-'), 'out');
  const lab = join(out, 'lab');
  const assets = join(out, 'lab-assets');
  const log: string[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    buildInto(out, publishing('http://10.0.0.1/'));
    mkdirSync(join(assets, 'flatcar/amd64'), { recursive: true });
    writeFileSync(join(assets, 'flatcar/amd64/flatcar_production_pxe.vmlinuz'), Buffer.alloc(4096, 7));
    server = await serveOutput({ root: out, listen: { host: '127.0.0.1', port: 0 }, log: (line) => log.push(line) });
  }, 60_000);
  afterAll(() => server?.close());

  /** The access-log line of one request (written when its response closes, which may be after the client has it all). */
  async function logLineOf(...args: Parameters<typeof ask>): Promise<string> {
    const before = log.length;
    await ask(...args);
    for (let i = 0; i < 100 && log.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(log.length).toBe(before + 1);
    return log.at(-1)!;
  }

  it('serves the one cluster in the output root at the path of its publishUrl, on the port the kernel picked', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).not.toBe('http://127.0.0.1:0/');
    expect(server.output.cluster).toBe('lab');
    expect(server.assetsUrl).toBe(`${server.url}assets/`);
  });

  it('answers each file with its bytes, length and the content type its consumer expects', async () => {
    const cases: [string, string][] = [
      ['nodes/cp-1/config.ign', 'application/vnd.coreos.ignition+json'],
      ['nodes/worker-2/user-data', 'text/plain; charset=utf-8'],
      ['nodes/worker-2/meta-data', 'text/plain; charset=utf-8'],
      ['nodes/worker-2/seed.iso', 'application/octet-stream'],
      ['nodes/cp-1/ignition.img', 'application/octet-stream'],
      ['pxe/boot.ipxe', 'text/plain; charset=utf-8'],
      ['pxe/mac/52-54-00-00-00-21.ipxe', 'text/plain; charset=utf-8'],
      ['pxe/grub/grub.cfg-01-52-54-00-00-00-11', 'text/plain; charset=utf-8'],
      ['pxe/pxelinux.cfg/01-52-54-00-00-00-11', 'text/plain; charset=utf-8'],
      ['manifest.json', 'application/json'],
    ];
    for (const [path, type] of cases) {
      const answer = await ask(server.url, `/${path}`);
      const bytes = readFileSync(join(lab, path));
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type'], path).toBe(type);
      expect(answer.headers['content-length'], path).toBe(String(bytes.length));
      expect(answer.body.equals(bytes), path).toBe(true);
    }
  });

  it('serves the boot-asset folder beside the output under assets/', async () => {
    const answer = await ask(server.url, '/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.body.equals(Buffer.alloc(4096, 7))).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const answer = await ask(server.url, '/nodes/cp-1/config.ign', { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(readFileSync(join(lab, 'nodes/cp-1/config.ign')).length));
    expect(answer.headers['content-type']).toBe('application/vnd.coreos.ignition+json');
    expect(answer.body.length).toBe(0);
  });

  it('answers a single byte range with 206 and its Content-Range', async () => {
    const iso = readFileSync(join(lab, 'nodes/worker-2/seed.iso'));
    const part = await ask(server.url, '/nodes/worker-2/seed.iso', { headers: { range: 'bytes=32768-32773' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 32768-32773/${iso.length}`);
    expect(part.headers['content-length']).toBe('6');
    expect(part.body.equals(iso.subarray(32768, 32774))).toBe(true);
    const suffix = await ask(server.url, '/nodes/worker-2/seed.iso', { headers: { range: 'bytes=-10' } });
    expect(suffix.status).toBe(206);
    expect(suffix.body.equals(iso.subarray(iso.length - 10))).toBe(true);
    const open = await ask(server.url, '/nodes/worker-2/seed.iso', { headers: { range: `bytes=${iso.length - 3}-` } });
    expect(open.headers['content-range']).toBe(`bytes ${iso.length - 3}-${iso.length - 1}/${iso.length}`);
  });

  it('answers an unsatisfiable range with 416 and the size, and several ranges with the whole file', async () => {
    const size = readFileSync(join(lab, 'nodes/worker-2/seed.iso')).length;
    const beyond = await ask(server.url, '/nodes/worker-2/seed.iso', { headers: { range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
    const several = await ask(server.url, '/nodes/worker-2/seed.iso', { headers: { range: 'bytes=0-1,4-5' } });
    expect(several.status).toBe(200);
    expect(several.body.length).toBe(size);
  });

  it('refuses every method but GET and HEAD with 405 and an Allow header', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const answer = await ask(server.url, '/nodes/cp-1/config.ign', { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow, method).toBe('GET, HEAD');
    }
  });

  it('answers 404 to folders, missing files and every way out of the tree, never 403', async () => {
    symlinkSync('../../.lab.state.json', join(lab, 'nodes', 'state-link'));
    symlinkSync('/etc/passwd', join(assets, 'passwd-link'));
    symlinkSync('../lab/nodes/cp-1/config.ign', join(assets, 'config-link'));
    const targets = [
      '/',
      '/nodes/',
      '/nodes/cp-1',
      '/nodes/cp-1/missing',
      '/../.lab.state.json',
      '/nodes/../../.lab.state.json',
      '/%2e%2e/.lab.state.json',
      '/nodes/%2E%2E/%2e%2e/.lab.lock',
      '/nodes%2fcp-1%2fconfig.ign',
      '/nodes%2Fcp-1/config.ign',
      '/nodes%5ccp-1/config.ign',
      '/nodes/cp-1/config.ign%00',
      '/nodes/./cp-1/config.ign',
      '//nodes/cp-1/config.ign',
      '/nodes/state-link',
      '/assets/passwd-link',
      '/assets/config-link',
      '/assets/../../.lab.state.json',
      '/assets/%2e%2e/lab/nodes/cp-1/config.ign',
      '/nodes/cp-1/config.ign/',
    ];
    for (const target of targets) {
      const answer = await ask(server.url, target);
      expect(answer.status, target).toBe(404);
      expect(answer.body.toString(), target).toBe('not found\n');
    }
  });

  it('never serves the state and lock files beside the output, whatever folder is named the asset folder', async () => {
    const beside = await serveOutput({ root: out, assets: out, listen: { host: '127.0.0.1', port: 0 } });
    try {
      for (const target of ['/assets/.lab.state.json', '/assets/.lab.lock', '/assets/%2elab.state.json']) {
        expect((await ask(beside.url, target)).status, target).toBe(404);
      }
      expect((await ask(beside.url, '/assets/lab/manifest.json')).status).toBe(200);
    } finally {
      await beside.close();
    }
  });

  it('closes the file when a client leaves in the middle of a download', async () => {
    const big = join(assets, 'big.img');
    writeFileSync(big, Buffer.alloc(32 * 1024 * 1024, 1));
    const openOnBig = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === big;
      } catch {
        return false;
      }
    }).length;
    const { hostname, port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const req = request({ host: hostname, port, path: '/assets/big.img' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    for (let i = 0; i < 100 && openOnBig() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openOnBig()).toBe(0);
    expect(log.at(-1)).toMatch(/^127\.0\.0\.1.* fetched \/assets\/big\.img \(200, 33554432 bytes, cut off\)$/);
  });

  it('names the nodes of an output rebuilt while it serves, from the new manifest', async () => {
    const manifestPath = join(lab, 'manifest.json');
    const before = readFileSync(manifestPath, 'utf8');
    const manifest = JSON.parse(before) as { artifacts: { path: string; node?: string }[]; nodes: { name: string }[] };
    manifest.nodes.push({ name: 'worker-9' });
    manifest.artifacts.push({ path: 'pxe/extra.ipxe', node: 'worker-9' });
    writeFileSync(join(lab, 'pxe/extra.ipxe'), '#!ipxe\n');
    writeFileSync(`${manifestPath}.new`, JSON.stringify(manifest));
    // As a build swaps it in: a new file under the old name.
    (await import('node:fs')).renameSync(`${manifestPath}.new`, manifestPath);
    try {
      expect(await logLineOf(server.url, '/pxe/extra.ipxe')).toBe('worker-9 fetched /pxe/extra.ipxe (200, 7 bytes)');
    } finally {
      writeFileSync(manifestPath, before);
    }
  });

  it('logs one line per request naming the node it belongs to, and never the file contents', async () => {
    const size = readFileSync(join(lab, 'nodes/worker-2/user-data')).length;
    expect(await logLineOf(server.url, '/nodes/worker-2/user-data')).toBe(`worker-2 fetched /nodes/worker-2/user-data (200, ${size} bytes)`);
    expect(await logLineOf(server.url, '/pxe/mac/52-54-00-00-00-21.ipxe')).toMatch(/^worker-1 \(52-54-00-00-00-21\) fetched \/pxe\/mac\/52-54-00-00-00-21\.ipxe \(200, \d+ bytes\)$/);
    expect(await logLineOf(server.url, '/assets/flatcar/amd64/flatcar_production_pxe.vmlinuz', { headers: { range: 'bytes=0-9' } })).toBe('127.0.0.1 (last seen as worker-1) fetched /assets/flatcar/amd64/flatcar_production_pxe.vmlinuz (206, bytes 0-9 of 4096)');
    expect(await logLineOf(server.url, '/nodes/worker-2/vendor-data')).toBe('worker-2 asked for /nodes/worker-2/vendor-data (404)');
    expect(await logLineOf(server.url, '/x%1b[31mred?token=secret', { method: 'POST' })).toBe('127.0.0.1 (last seen as worker-2) sent POST for /x%1b[31mred (405)');
    const all = log.join('\n');
    expect(all).not.toContain('\x1b');
    expect(all).not.toContain('secret');
    expect(all).not.toContain(readFileSync(join(lab, 'nodes/worker-2/user-data'), 'utf8').split('\n')[0]!);
  });
});

describe('serveOutput: which output', () => {
  it('serves out/<cluster>/ under the path of a publishUrl that has one', async () => {
    const out = join(tempDir('kindling-serve-'), 'out');
    buildInto(out, publishing('http://10.0.0.1:8080/lab/'));
    const server = await serveOutput({ root: join(out, 'lab'), listen: { host: '127.0.0.1', port: 0 } });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lab\/$/);
      expect((await ask(server.url, '/lab/nodes/cp-1/config.ign')).status).toBe(200);
      expect((await ask(server.url, '/nodes/cp-1/config.ign')).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('says there is no output, or which clusters there are, instead of serving nothing', async () => {
    const root = tempDir('kindling-serve-');
    await expect(serveOutput({ root: join(root, 'missing') })).rejects.toThrow(`there is no output folder at ${join(root, 'missing')}`);
    await expect(serveOutput({ root })).rejects.toThrow(/holds no kindling output/);
    for (const name of ['lab', 'edge']) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'manifest.json'), JSON.stringify({ cluster: name, generator: 'kindling', artifacts: [], nodes: [] }));
    }
    await expect(serveOutput({ root })).rejects.toThrow(`${root} holds the outputs of several clusters: edge, lab`);
    await expect(serveOutput({ root, cluster: 'core' })).rejects.toThrow(`${root} holds no output of cluster "core"`);
    const edge = await serveOutput({ root, cluster: 'edge', listen: { host: '127.0.0.1', port: 0 } });
    expect(edge.output.cluster).toBe('edge');
    await edge.close();
  });

  it('reports a port in use as a ServeError with a hint', async () => {
    const root = tempDir('kindling-serve-');
    mkdirSync(join(root, 'lab'));
    writeFileSync(join(root, 'lab', 'manifest.json'), JSON.stringify({ cluster: 'lab', generator: 'kindling', artifacts: [], nodes: [] }));
    const first = await serveOutput({ root, listen: { host: '127.0.0.1', port: 0 } });
    try {
      const port = Number(new URL(first.url).port);
      const error = await serveOutput({ root, listen: { host: '127.0.0.1', port } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServeError);
      expect((error as ServeError).message).toBe(`cannot listen on 127.0.0.1:${port}: the address is in use`);
      expect((error as ServeError).hint).toMatch(/--listen/);
    } finally {
      await first.close();
    }
  });
});
