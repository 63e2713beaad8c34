/**
 * `kindling lock` for an air-gapped lab: `--mirror-to DIR` lays every pinned artifact out as
 * `downloads.mirror` expects, verified; `--from-dir DIR` pins from a folder of downloaded files
 * (flat, or such a mirror folder) without the network.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runLock } from '../../src/cli/commands/lock.ts';
import { runCli } from '../helpers/cli.ts';
import { exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { sendBytes, startLocalServer, testBytes } from '../lock/local-server.ts';
import type { LocalServer } from '../lock/local-server.ts';

const GH = 'https://github.com';
const FLANNELD = `${GH}/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64`;
const CNI_PLUGIN = `${GH}/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-amd64`;
const CNI_PLUGINS = `${GH}/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz`;
const AMD64 = [CNI_PLUGINS, CNI_PLUGIN, FLANNELD];

const path = (url: string): string => new URL(url).pathname;
const name = (url: string): string => path(url).split('/').at(-1)!;
const sha = (algorithm: 'sha256' | 'sha512', data: Buffer): string => createHash(algorithm).update(data).digest('hex');

let upstream: LocalServer;
const bodies = new Map<string, Buffer>();

beforeAll(async () => {
  upstream = await startLocalServer();
});
afterAll(() => upstream.close());
beforeEach(() => {
  AMD64.forEach((url, index) => {
    bodies.set(url, testBytes(30_000 + index, 50 + index));
    upstream.route(path(url), (_req, res) => sendBytes(res, bodies.get(url)!));
  });
  for (const algorithm of ['sha256', 'sha512'] as const) {
    upstream.route(`${path(CNI_PLUGINS)}.${algorithm}`, (_req, res) => sendBytes(res, Buffer.from(`${sha(algorithm, bodies.get(CNI_PLUGINS)!)}  ${name(CNI_PLUGINS)}\n`)));
  }
});

/** The example project downloading through `mirror` (plain http on 127.0.0.1). */
const mirroredBy = (mirror: string): string => exampleProject({ 'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${mirror}", allowHttp: true }`) });

/** A transport that must not be used: an air-gapped run asks the network nothing. */
function noNetwork(asked: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    asked.push(String(input));
    throw new TypeError('fetch failed: no network here');
  }) as typeof fetch;
}

async function lockOffline(dir: string, args: Record<string, string>, asked: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), color: false };
  const code = await runLock(dir, { retries: '0', ...args }, { io, fetch: noNetwork(asked) });
  return { code, stdout, stderr };
}

/** Any web server over a folder: the URL path, decoded, is the file path. */
async function staticServer(root: string): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const file = join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    sendBytes(res, readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Every file under `root`, '/'-separated and sorted. */
function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(root, `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

describe('kindling lock --mirror-to', () => {
  it('lays every pinned artifact out as downloads.mirror expects, and a build through a web server over it gets the pinned bytes', async () => {
    const online = mirroredBy(upstream.base);
    const mirrorDir = join(tempDir(), 'mirror');
    const lock = await runCli(['lock', online, '--retries', '0', '--mirror-to', mirrorDir]);
    expect(lock.status, lock.stderr).toBe(0);
    expect(filesUnder(mirrorDir)).toEqual(
      [...AMD64.map((url) => path(url).slice(1)), `${path(CNI_PLUGINS).slice(1)}.sha256`, `${path(CNI_PLUGINS).slice(1)}.sha512`].sort(),
    );
    for (const url of AMD64) expect(readFileSync(join(mirrorDir, path(url))).equals(bodies.get(url)!)).toBe(true);
    expect(lock.stdout).toContain(`mirrored 3 artifacts and 2 checksum files into ${mirrorDir}`);

    // The lab: the same profiles with the folder's web server as their mirror, and the lock file.
    const web = await staticServer(mirrorDir);
    try {
      const lab = mirroredBy(web.base);
      writeFileSync(join(lab, 'kindling.lock'), readFileSync(join(online, 'kindling.lock')));
      const out = join(tempDir(), 'out');
      const build = await runCli(['build', lab, '--out', out]);
      expect(build.status, build.stderr).toBe(0);
      const ign = JSON.parse(readFileSync(join(out, 'lab/nodes/cp-1/config.ign'), 'utf8')) as {
        storage: { files: { path: string; contents?: { source?: string; verification?: { hash?: string } } }[] };
      };
      const fetched = ign.storage.files.filter((f) => f.contents?.source?.startsWith(web.base) === true);
      expect(fetched.map((f) => f.contents!.source).sort()).toEqual([`${web.base}${path(CNI_PLUGINS)}`, `${web.base}${path(CNI_PLUGIN)}`, `${web.base}${path(FLANNELD)}`].sort());
      for (const file of fetched) {
        const bytes = Buffer.from(await (await fetch(file.contents!.source!)).arrayBuffer());
        expect(`sha512-${sha('sha512', bytes)}`).toBe(file.contents!.verification!.hash);
      }
      // The published checksum files came along: the lab can verify its pins against the mirror.
      const check = await runCli(['lock', lab, '--check', '--retries', '0']);
      expect(check.status, check.stderr).toBe(0);
      expect(check.stderr).toContain(`verified ${CNI_PLUGINS} `);
    } finally {
      await web.close();
    }
  });

  it('downloads nothing on a re-run whose folder already holds the pinned bytes, and replaces a copy that is not them', async () => {
    const dir = mirroredBy(upstream.base);
    const mirrorDir = join(tempDir(), 'mirror');
    expect((await runCli(['lock', dir, '--retries', '0', '--mirror-to', mirrorDir])).status).toBe(0);
    const hits = (): number[] => AMD64.map((url) => upstream.hits(path(url)));
    const before = hits();
    const again = await runCli(['lock', dir, '--retries', '0', '--mirror-to', mirrorDir]);
    expect(again.status).toBe(0);
    expect(hits()).toEqual(before);

    writeFileSync(join(mirrorDir, path(FLANNELD)), 'not flanneld');
    const repaired = await runCli(['lock', dir, '--retries', '0', '--mirror-to', mirrorDir, '--format', 'json']);
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ ok: true, status: 'up-to-date', kept: [CNI_PLUGINS, CNI_PLUGIN], mirrorTo: mirrorDir, mirrored: [{ path: path(FLANNELD).slice(1), kind: 'artifact' }] });
    expect(hits()).toEqual([before[0], before[1], before[2]! + 1]);
    expect(readFileSync(join(mirrorDir, path(FLANNELD))).equals(bodies.get(FLANNELD)!)).toBe(true);
  });

  it('writes no bytes that disagree with the pin into the folder', async () => {
    const dir = mirroredBy(upstream.base);
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    bodies.set(FLANNELD, testBytes(30_002, 99));
    const mirrorDir = join(tempDir(), 'mirror');
    const cli = await runCli(['lock', dir, '--retries', '0', '--mirror-to', mirrorDir]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`${FLANNELD} changed since it was pinned`);
    expect(cli.stderr).toContain(`rejected ${FLANNELD}: `);
    // Nothing reaches the folder from a run that failed, and no temporary file is left behind.
    expect(existsSync(mirrorDir) ? filesUnder(mirrorDir) : []).toEqual([]);
  });

  it('cannot be combined with --check, which writes nothing', async () => {
    const cli = await runCli(['lock', mirroredBy(upstream.base), '--check', '--mirror-to', tempDir()]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/^kindling lock: --check verifies without writing; it cannot be combined with --mirror-to/);
  });
});

describe('kindling lock --from-dir', () => {
  it('pins every artifact from a flat folder of downloaded files, asking the network nothing', async () => {
    const dir = mirroredBy(upstream.base);
    const downloads = tempDir();
    for (const url of AMD64) writeFileSync(join(downloads, name(url)), bodies.get(url)!);
    const asked: string[] = [];
    const run = await lockOffline(dir, { fromDir: downloads }, asked);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(asked).toEqual([]);
    expect(run.stderr).toContain(`pinned ${FLANNELD} from ${join(downloads, 'flanneld-amd64')} (--from-dir)`);
    const lock = readFileSync(join(dir, 'kindling.lock'), 'utf8');
    for (const url of AMD64) expect(lock).toContain(sha('sha512', bodies.get(url)!));
  });

  it('pins from a --mirror-to folder carried into the lab, to the same lock file', async () => {
    const online = mirroredBy(upstream.base);
    const mirrorDir = join(tempDir(), 'mirror');
    expect((await runCli(['lock', online, '--retries', '0', '--mirror-to', mirrorDir])).status).toBe(0);
    const lab = mirroredBy('http://mirror.lab.invalid');
    const asked: string[] = [];
    const run = await lockOffline(lab, { fromDir: mirrorDir }, asked);
    expect(run.code, run.stderr).toBe(0);
    expect(asked).toEqual([]);
    expect(readFileSync(join(lab, 'kindling.lock'), 'utf8')).toBe(readFileSync(join(online, 'kindling.lock'), 'utf8'));
  });

  it('names the file it looked for when the folder lacks one, downloads nothing instead and writes nothing', async () => {
    const dir = mirroredBy(upstream.base);
    const downloads = tempDir();
    for (const url of [CNI_PLUGINS, FLANNELD]) writeFileSync(join(downloads, name(url)), bodies.get(url)!);
    const asked: string[] = [];
    const run = await lockOffline(dir, { fromDir: downloads }, asked);
    expect(run.code).toBe(1);
    expect(asked).toEqual([]);
    expect(run.stderr).toContain(`--from-dir: no copy of ${CNI_PLUGIN} (looked for ${join(downloads, path(CNI_PLUGIN))} and ${join(downloads, 'flannel-amd64')})`);
    expect(run.stderr).toContain('or name its copy with --from-file URL=PATH');
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });

  it('refuses a file name two artifacts share in a flat folder, and takes each from its release path', async () => {
    const a = 'https://downloads.example.com/a/flanneld';
    const b = 'https://downloads.example.com/b/flanneld';
    const dir = exampleProject({
      'cluster.yaml': replaceOnce(
        '  cniPlugins: { version: v1.9.1 }\n',
        `  cniPlugins: { version: v1.9.1 }\n  artifacts:\n    flanneld:\n      amd64: { url: "${a}" }\n    cniPlugin:\n      amd64: { url: "${b}" }\n`,
      ),
    });
    const downloads = tempDir();
    writeFileSync(join(downloads, name(CNI_PLUGINS)), bodies.get(CNI_PLUGINS)!);
    writeFileSync(join(downloads, 'flanneld'), 'which one?');
    const asked: string[] = [];
    const ambiguous = await lockOffline(dir, { fromDir: downloads }, asked);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`--from-dir: ${join(downloads, 'flanneld')} could be the copy of any of ${a}, ${b}`);
    expect(ambiguous.stderr).toContain(`put each copy at ${downloads}/<path of its URL> (here a/flanneld)`);
    expect(asked).toEqual([]);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);

    for (const [url, body] of [[a, 'flanneld a'], [b, 'flanneld b']] as const) {
      mkdirSync(dirname(join(downloads, path(url))), { recursive: true });
      writeFileSync(join(downloads, path(url)), body);
    }
    const laidOut = await lockOffline(dir, { fromDir: downloads }, asked);
    expect(laidOut.code, laidOut.stderr).toBe(0);
    expect(readFileSync(join(dir, 'kindling.lock'), 'utf8')).toContain(sha('sha512', Buffer.from('flanneld b')));
  });
});
