/**
 * `kindling lock` end to end against a mirror on 127.0.0.1: pins recorded under release URLs, then
 * a build that needs no allowUnpinned and carries the hashes; drift, 404, a wrong published
 * checksum, --check, --arch and --from-file.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runLock } from '../../src/cli/commands/lock.ts';
import { parseLockfile } from '../../src/lock/lockfile.ts';
import type { LockEntry } from '../../src/lock/lockfile.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO, exampleProject, replaceOnce, tempDir } from '../helpers/project.ts';
import { fetchTrusting, selfSignedCertificate, sendBytes, startLocalServer, testBytes } from '../lock/local-server.ts';
import type { Certificate, LocalServer } from '../lock/local-server.ts';

const GH = 'https://github.com';
const FLANNELD = `${GH}/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64`;
const CNI_PLUGIN = `${GH}/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-amd64`;
const CNI_PLUGINS = `${GH}/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz`;
const FLANNELD_ARM = `${GH}/flannel-io/flannel/releases/download/v0.28.9/flanneld-arm64`;
const CNI_PLUGIN_ARM = `${GH}/flannel-io/cni-plugin/releases/download/v1.9.1-flannel1/flannel-arm64`;
const CNI_PLUGINS_ARM = `${GH}/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-arm64-v1.9.1.tgz`;
const AMD64 = [CNI_PLUGINS, CNI_PLUGIN, FLANNELD];

const path = (url: string): string => new URL(url).pathname;
const sha = (algorithm: 'sha256' | 'sha512', data: Buffer): string => createHash(algorithm).update(data).digest('hex');

let server: LocalServer;
/** What the mirror serves now, per release URL; tests replace entries to simulate drift. */
const bodies = new Map<string, Buffer>();
/** Published checksum files; a test may falsify one. */
const published = new Map<string, string>();

function serve(url: string, body: Buffer): void {
  bodies.set(url, body);
  server.route(path(url), (_req, res) => {
    const now = bodies.get(url);
    if (now === undefined) {
      res.writeHead(404).end();
      return;
    }
    sendBytes(res, now);
  });
}

function publishChecksums(url: string): void {
  const name = path(url).split('/').at(-1)!;
  for (const algorithm of ['sha256', 'sha512'] as const) {
    const checksumUrl = `${url}.${algorithm}`;
    published.set(checksumUrl, `${sha(algorithm, bodies.get(url)!)}  ${name}\n`);
    server.route(path(checksumUrl), (_req, res) => sendBytes(res, Buffer.from(published.get(checksumUrl)!)));
  }
}

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  // flanneld is served through a redirect, as GitHub serves release assets.
  bodies.clear();
  published.clear();
  serve(CNI_PLUGIN, testBytes(30_000, 2));
  serve(CNI_PLUGINS, testBytes(50_000, 3));
  serve(CNI_PLUGIN_ARM, testBytes(30_000, 12));
  serve(CNI_PLUGINS_ARM, testBytes(50_000, 13));
  serve(FLANNELD_ARM, testBytes(40_000, 11));
  bodies.set(FLANNELD, testBytes(40_000, 1));
  server.route('/objects/flanneld-amd64', (_req, res) => {
    const now = bodies.get(FLANNELD);
    if (now === undefined) res.writeHead(404).end();
    else sendBytes(res, now);
  });
  server.route(path(FLANNELD), (_req, res) => res.writeHead(302, { location: '/objects/flanneld-amd64' }).end());
  publishChecksums(CNI_PLUGINS);
  publishChecksums(CNI_PLUGINS_ARM);
});

/** The example project, pinned by nothing, downloading through the local mirror. */
function mirroredProject(): string {
  return exampleProject({
    'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${server.base}", allowHttp: true }`),
  });
}

/** The CLI as a real process, without blocking this one (the local servers must keep answering). */
async function kindlingProcess(args: string[], env: NodeJS.ProcessEnv = {}, timeout = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(REPO, 'bin/kindling.js'), ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout }).then(
    (done) => ({ status: 0, ...done }),
    (failed: { code: number | null; stdout: string; stderr: string }) => ({ status: failed.code, stdout: failed.stdout, stderr: failed.stderr }),
  );
}

function lockEntries(dir: string): LockEntry[] {
  const parsed = parseLockfile(readFileSync(join(dir, 'kindling.lock'), 'utf8'));
  expect(parsed.diagnostics).toEqual([]);
  return [...(parsed.lockfile?.artifacts ?? [])];
}

const expectedEntry = (url: string): LockEntry => {
  const body = bodies.get(url)!;
  return { url, sha256: sha('sha256', body), sha512: sha('sha512', body), size: body.length };
};

describe('kindling lock', () => {
  it('pins every artifact through the mirror under its release URL, beside the cluster file', async () => {
    const dir = mirroredProject();
    const cli = await runCli(['lock', dir, '--retries', '0']);
    expect(cli.stderr).not.toMatch(/error/);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/wrote .*kindling\.lock \(3 artifacts: 3 added, 0 changed, 0 removed, 0 unchanged\)/);
    expect(lockEntries(dir)).toEqual(AMD64.map(expectedEntry));
    // Plain progress lines off a terminal, naming the release URL.
    expect(cli.stderr).toContain(`pinned ${FLANNELD} 40000 bytes sha256:${sha('sha256', bodies.get(FLANNELD)!)}`);
    expect(server.hits('/objects/flanneld-amd64')).toBeGreaterThan(0);
    expect(server.hits(path(`${CNI_PLUGINS}.sha512`))).toBeGreaterThan(0);
  });

  it('lets a build without allowUnpinned use the pins: Ignition verification.hash and the cloud-init sha512', async () => {
    const dir = mirroredProject();
    const before = await runCli(['build', dir, '--out', join(tempDir(), 'out')]);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain(`${FLANNELD} has no pinned hash`);
    expect(before.stderr).toMatch(/run `kindling lock`/);

    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const out = join(tempDir(), 'out');
    const build = await runCli(['build', dir, '--out', out]);
    expect(build.stderr).not.toMatch(/UNPINNED|error/);
    expect(build.status).toBe(0);
    const flannelSha512 = sha('sha512', bodies.get(FLANNELD)!);
    const ign = JSON.parse(readFileSync(join(out, 'lab/nodes/cp-1/config.ign'), 'utf8')) as {
      storage: { files: { path: string; contents?: { source?: string; verification?: { hash?: string } } }[] };
    };
    const flanneld = ign.storage.files.find((f) => f.path === '/opt/bin/flanneld');
    expect(flanneld?.contents?.source).toBe(`${server.base}${path(FLANNELD)}`);
    expect(flanneld?.contents?.verification?.hash).toBe(`sha512-${flannelSha512}`);
    const userData = readFileSync(join(out, 'lab/nodes/worker-2/user-data'), 'utf8');
    expect(userData).toContain(flannelSha512);
    expect(userData).toContain(sha('sha512', bodies.get(CNI_PLUGINS)!));
  });

  it("lets a build use the lock file's pin for a remote profile file that states no sha512", async () => {
    const url = 'https://downloads.example.com/tools/motd.txt';
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${server.base}", allowHttp: true }`),
      'roles/worker.yaml': replaceOnce('files:\n', `files:\n  - path: /etc/kindling/motd.txt\n    contents: { url: "${url}" }\n`),
    });
    const before = await runCli(['build', dir, '--out', join(tempDir(), 'out')]);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain(`${url} has no sha512`);
    expect(before.stderr).toMatch(/or run `kindling lock` to pin it in the lock file/);

    const local = join(tempDir(), 'motd.txt');
    writeFileSync(local, 'provisioned by kindling\n');
    const lock = await runCli(['lock', dir, '--retries', '0', '--from-file', `${url}=${local}`]);
    expect(lock.status, lock.stderr).toBe(0);
    const pinned = sha('sha512', readFileSync(local));
    expect(lockEntries(dir).find((e) => e.url === url)?.sha512).toBe(pinned);

    const out = join(tempDir(), 'out');
    const build = await runCli(['build', dir, '--out', out]);
    expect(build.stderr).not.toMatch(/UNPINNED|error/);
    expect(build.status).toBe(0);
    const ign = JSON.parse(readFileSync(join(out, 'lab/nodes/worker-1/config.ign'), 'utf8')) as {
      storage: { files: { path: string; contents?: { source?: string; verification?: { hash?: string } } }[] };
    };
    const motd = ign.storage.files.find((f) => f.path === '/etc/kindling/motd.txt');
    expect(motd?.contents).toEqual({ source: url, verification: { hash: `sha512-${pinned}` } });
    const userData = readFileSync(join(out, 'lab/nodes/worker-2/user-data'), 'utf8');
    expect(userData).toContain(url);
    expect(userData).toContain(pinned);
  });

  it('downloads nothing on a re-run that finds every artifact pinned, unless --check or --update asks', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const paths = ['/objects/flanneld-amd64', path(CNI_PLUGIN), path(CNI_PLUGINS), path(`${CNI_PLUGINS}.sha256`), path(`${CNI_PLUGINS}.sha512`)];
    const hits = (): number[] => paths.map((p) => server.hits(p));
    const afterFirst = hits();

    const again = await runCli(['lock', dir, '--retries', '0']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/is up to date \(3 artifacts: 0 added, 0 changed, 0 removed, 3 unchanged\)/);
    expect(hits()).toEqual(afterFirst);

    expect((await runCli(['lock', dir, '--check', '--retries', '0'])).status).toBe(0);
    const afterCheck = hits();
    expect(afterCheck).toEqual(afterFirst.map((n) => n + 1));
    expect((await runCli(['lock', dir, '--update', '--retries', '0'])).status).toBe(0);
    expect(hits()).toEqual(afterCheck.map((n) => n + 1));
  });

  it('finds drift with --check, naming --update as the way to accept it, and accepts it with --update', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const pinned = readFileSync(join(dir, 'kindling.lock'), 'utf8');

    bodies.set(FLANNELD, testBytes(40_001, 99));
    const check = await runCli(['lock', dir, '--check', '--retries', '0']);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(new RegExp(`${FLANNELD.replaceAll('.', '\\.')} changed since it was pinned.*\\[artifact/invalid-hash\\]`));
    expect(check.stderr).toContain('run `kindling lock --update` to accept the new bytes');
    // Bytes that fail verification are reported as rejected, never first as pinned.
    expect(check.stderr).not.toContain(`pinned ${FLANNELD}`);
    expect(check.stderr).toContain(`rejected ${FLANNELD}: `);
    expect(readFileSync(join(dir, 'kindling.lock'), 'utf8')).toBe(pinned);

    const update = await runCli(['lock', dir, '--update', '--retries', '0']);
    expect(update.status).toBe(0);
    expect(update.stderr).toContain(`accepted new hash for ${FLANNELD} (--update)`);
    expect(lockEntries(dir)).toContainEqual(expectedEntry(FLANNELD));
  });

  it('refuses a --from-file copy that differs from the pin, naming --update', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const pinned = readFileSync(join(dir, 'kindling.lock'), 'utf8');
    const local = join(tempDir(), 'flanneld-amd64');
    writeFileSync(local, testBytes(100, 5));
    const cli = await runCli(['lock', dir, '--retries', '0', '--from-file', `${FLANNELD}=${local}`]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`${FLANNELD} (the copy at ${local}) changed since it was pinned`);
    expect(cli.stderr).toContain('run `kindling lock --update` to accept the new bytes');
    expect(cli.stderr).not.toContain(`pinned ${FLANNELD} from`);
    expect(cli.stderr).toMatch(/was not changed/);
    expect(readFileSync(join(dir, 'kindling.lock'), 'utf8')).toBe(pinned);
  });

  it('--check passes on good pins and fails on an artifact the lock file lacks, writing nothing', async () => {
    const dir = mirroredProject();
    const missing = await runCli(['lock', dir, '--check', '--retries', '0']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${FLANNELD} is not pinned`);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);

    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const ok = await runCli(['lock', dir, '--check', '--retries', '0']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/3 pins verified/);
  });

  it('reports a 404 with the URL, writes nothing, and keeps the build refusing the missing one', async () => {
    const dir = mirroredProject();
    bodies.delete(FLANNELD);
    const cli = await runCli(['lock', dir, '--retries', '0']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/flanneld-amd64 answered 404 \(not found\)/);
    expect(cli.stderr).toMatch(/kindling\.lock was not changed: 1 artifact could not be pinned/);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
    const build = await runCli(['build', dir, '--out', join(tempDir(), 'out')]);
    expect(build.status).toBe(1);
    expect(build.stderr).toContain(`${FLANNELD} has no pinned hash`);
  });

  it('refuses an artifact whose bytes disagree with the published checksum', async () => {
    const dir = mirroredProject();
    published.set(`${CNI_PLUGINS}.sha256`, `${'0'.repeat(64)}  cni-plugins-linux-amd64-v1.9.1.tgz\n`);
    const cli = await runCli(['lock', dir, '--retries', '0']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/publishes 0{64}.*\[artifact\/invalid-hash\]/s);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });

  it('keeps the previous lock file byte for byte when a run pins only some artifacts', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const pinned = readFileSync(join(dir, 'kindling.lock'));
    // The profiles now want arm64 as well; its flanneld is missing, the rest downloads fine.
    bodies.delete(FLANNELD_ARM);
    const cli = await runCli(['lock', dir, '--arch', 'amd64,arm64', '--retries', '0']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/flanneld-arm64 answered 404/);
    expect(readFileSync(join(dir, 'kindling.lock')).equals(pinned)).toBe(true);
  });

  it('writes no lock file when every download fails', async () => {
    const dir = mirroredProject();
    bodies.clear();
    const cli = await runCli(['lock', dir, '--retries', '0']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/kindling\.lock was not changed: 3 artifacts could not be pinned/);
    expect(cli.stdout).toBe('');
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });

  it('leaves the previous lock file byte-identical when every download of --update fails, pins of other arches included', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--arch', 'amd64,arm64', '--retries', '0'])).status).toBe(0);
    const pinned = readFileSync(join(dir, 'kindling.lock'));
    expect(lockEntries(dir)).toHaveLength(6);
    bodies.clear();
    const cli = await runCli(['lock', dir, '--update', '--retries', '0']);
    expect(cli.status).toBe(1);
    expect(readFileSync(join(dir, 'kindling.lock')).equals(pinned)).toBe(true);
  });

  it('pins from a local copy with --from-file without asking the network for it', async () => {
    const dir = mirroredProject();
    const local = join(tempDir(), 'flanneld-amd64');
    const copy = testBytes(12_345, 42);
    writeFileSync(local, copy);
    const hitsBefore = server.hits(path(FLANNELD));
    const cli = await runCli(['lock', dir, '--retries', '0', '--from-file', `${FLANNELD}=${local}`]);
    expect(cli.status).toBe(0);
    expect(server.hits(path(FLANNELD))).toBe(hitsBefore);
    expect(lockEntries(dir)).toContainEqual({ url: FLANNELD, sha256: sha('sha256', copy), sha512: sha('sha512', copy), size: copy.length });

    const unknown = await runCli(['lock', dir, '--from-file', `${GH}/not/referenced=${local}`]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/is not an artifact these profiles download/);
  });

  it('refuses a --from-file path that is a FIFO at once, naming it, and writes nothing', async () => {
    const dir = mirroredProject();
    const fifo = join(tempDir(), 'flanneld-amd64');
    execFileSync('mkfifo', [fifo]);
    // A real process with a deadline: a read that waits for a writer would block this test's thread too.
    const cli = await kindlingProcess(['lock', dir, '--retries', '0', '--from-file', `${FLANNELD}=${fifo}`], {}, 30_000);
    expect(cli.stderr).toContain(`cannot read ${fifo} (--from-file for ${FLANNELD}): a FIFO (named pipe), not a regular file`);
    expect(cli.stderr).toMatch(/\[io\/not-a-file\]/);
    expect(cli.status).toBe(1);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });

  it('pins the arches given with --arch and keeps other pins', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    const cli = await runCli(['lock', dir, '--arch', 'arm64', '--retries', '0']);
    expect(cli.status).toBe(0);
    expect(lockEntries(dir).map((e) => e.url)).toEqual([CNI_PLUGINS, CNI_PLUGINS_ARM, CNI_PLUGIN, CNI_PLUGIN_ARM, FLANNELD, FLANNELD_ARM].sort());
    expect((await runCli(['lock', dir, '--arch', 'riscv64'])).status).toBe(2);
  });

  it('writes a lock file named by downloads.lockFile, where builds read it', async () => {
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${server.base}", allowHttp: true }\n  lockFile: pins/flannel.lock`),
    });
    mkdirSync(join(dir, 'pins'));
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    expect(existsSync(join(dir, 'pins/flannel.lock'))).toBe(true);
    expect((await runCli(['build', dir, '--out', join(tempDir(), 'out')])).status).toBe(0);
  });
});

describe('kindling lock --format json', () => {
  interface LockReport {
    ok: boolean;
    status: string;
    lockFile: string;
    artifacts: LockEntry[];
    added: string[];
    changed: string[];
    removed: string[];
    unchanged: number;
    kept: string[];
    unpinned: string[];
    diagnostics: { code: string; severity: string; message: string; hint?: string }[];
  }

  it('reports the pins and what this run did as one JSON document, {ok, ..., diagnostics}', async () => {
    const dir = mirroredProject();
    const first = await runCli(['lock', dir, '--retries', '0', '--format', 'json']);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as LockReport;
    expect(report).toEqual({
      ok: true,
      status: 'written',
      lockFile: join(dir, 'kindling.lock'),
      artifacts: AMD64.map(expectedEntry),
      added: AMD64,
      changed: [],
      removed: [],
      unchanged: 0,
      kept: [],
      unpinned: [],
      diagnostics: [],
    });

    const again = JSON.parse((await runCli(['lock', dir, '--retries', '0', '--format', 'json'])).stdout) as LockReport;
    expect(again).toMatchObject({ ok: true, status: 'up-to-date', added: [], unchanged: 3, kept: AMD64 });
  });

  it('reports drift found by --check in JSON with exit 1 and no text diagnostics on stderr', async () => {
    const dir = mirroredProject();
    expect((await runCli(['lock', dir, '--retries', '0'])).status).toBe(0);
    bodies.set(FLANNELD, testBytes(40_001, 98));
    const cli = await runCli(['lock', dir, '--check', '--retries', '0', '--format', 'json']);
    expect(cli.status).toBe(1);
    const report = JSON.parse(cli.stdout) as LockReport;
    expect(report).toMatchObject({ ok: false, status: 'checked', unpinned: [] });
    expect(report.diagnostics.map((d) => [d.code, d.severity])).toEqual([['artifact/invalid-hash', 'error']]);
    expect(report.diagnostics[0]?.hint).toContain('`kindling lock --update`');
    expect(cli.stderr).not.toMatch(/\[artifact\/invalid-hash\]/);
  });

  it('reports an invalid profile in JSON, with exit 1', async () => {
    const cli = await runCli(['lock', exampleProject({ 'cluster.yaml': replaceOnce('name: lab', 'name: Lab') }), '--format', 'json']);
    expect(cli.status).toBe(1);
    const report = JSON.parse(cli.stdout) as LockReport;
    expect(report).toMatchObject({ ok: false, status: 'invalid', artifacts: [] });
    expect(report.diagnostics.map((d) => d.code)).toEqual(['cluster/invalid-name']);
  });
});

describe('runLock with an injected transport', () => {
  it('reports an explicit artifact whose bytes disagree with the sha512 the profile states', async () => {
    const stated = 'cd'.repeat(64);
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  cniPlugins: { version: v1.9.1 }\n', `  cniPlugins: { version: v1.9.1 }\n  artifacts:\n    flanneld:\n      amd64: { url: "https://downloads.example.com/flanneld", sha512: ${stated} }\n`),
    });
    const served = testBytes(1_000, 7);
    const asked: string[] = [];
    const fake = (async (input: string | URL | Request) => {
      asked.push(String(input));
      return new Response(served, { status: 200, headers: { 'content-length': String(served.length) } });
    }) as typeof fetch;
    let stderr = '';
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), color: false };
    // The CNI artifacts come from local copies (any bytes will do), so only flanneld crosses the transport.
    const code = await runLock(dir, { retries: '0', fromFile: [`${CNI_PLUGIN}=${join(dir, 'cluster.yaml')}`, `${CNI_PLUGINS}=${join(dir, 'cluster.yaml')}`] }, { io, fetch: fake });
    expect(asked).toEqual(['https://downloads.example.com/flanneld']);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`flanneld.*downloads with sha512 ${sha('sha512', served).slice(0, 16)}… but the profile pins ${stated.slice(0, 16)}….*\\[artifact/invalid-hash\\]`));
    expect(stderr).toMatch(/cluster\.yaml:\d+:\d+: error/);
    expect(stderr).not.toContain('pinned https://downloads.example.com/flanneld');
    expect(stderr).toContain('rejected https://downloads.example.com/flanneld: ');
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });
});

describe('kindling lock and redirects to plain http', () => {
  let certificate: Certificate;
  let secure: LocalServer;
  beforeAll(async () => {
    certificate = selfSignedCertificate();
    secure = await startLocalServer(certificate);
  });
  afterAll(() => secure.close());

  /** The example project downloading from an https mirror on 127.0.0.1 (not marked allowHttp). */
  function httpsMirroredProject(): string {
    return exampleProject({ 'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${secure.base}" }`) });
  }

  beforeEach(() => {
    // The https mirror serves the CNI artifacts itself and sends flanneld to the plain-http server.
    for (const url of [CNI_PLUGIN, CNI_PLUGINS, `${CNI_PLUGINS}.sha256`, `${CNI_PLUGINS}.sha512`]) {
      secure.route(path(url), (_req, res) => sendBytes(res, bodies.get(url) ?? Buffer.from(published.get(url)!)));
    }
    secure.route(path(FLANNELD), (_req, res) => res.writeHead(302, { location: `${server.base}/objects/flanneld-amd64` }).end());
  });

  it('refuses an https mirror (without allowHttp) that redirects to plain http, with Node\'s own fetch', async () => {
    const dir = httpsMirroredProject();
    const caFile = join(tempDir(), 'ca.pem');
    writeFileSync(caFile, certificate.cert);
    const hitsBefore = server.hits('/objects/flanneld-amd64');
    // A real process: Node's fetch trusts an extra CA only when told so at start-up.
    const cli = await kindlingProcess(['lock', dir, '--retries', '0'], { NODE_EXTRA_CA_CERTS: caFile });
    expect(cli.stderr).toContain(
      `redirect hop 1 to ${server.base}/objects/flanneld-amd64 uses plain http, and only https is allowed (plain http only from a mirror marked allowHttp: true)`,
    );
    expect(cli.stderr).toMatch(/\[url\/insecure\]/);
    expect(cli.status).toBe(1);
    expect(server.hits('/objects/flanneld-amd64')).toBe(hitsBefore);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });

  it('allows plain http only for the downloads of a mirror marked allowHttp, not for remote profile files', async () => {
    const fileUrl = `${secure.base}/files/motd.txt`;
    secure.route('/files/motd.txt', (_req, res) => res.writeHead(301, { location: `${server.base}/objects/motd.txt` }).end());
    server.route('/objects/motd.txt', (_req, res) => sendBytes(res, Buffer.from('provisioned by kindling\n')));
    const dir = exampleProject({
      'cluster.yaml': replaceOnce('  allowUnpinned: true', `  mirror: { url: "${server.base}", allowHttp: true }`),
      'roles/worker.yaml': replaceOnce('files:\n', `files:\n  - path: /etc/kindling/motd.txt\n    contents: { url: "${fileUrl}" }\n`),
    });
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), color: false };
    const code = await runLock(dir, { retries: '0' }, { io, fetch: fetchTrusting(certificate.cert) });
    expect(stderr).toContain(`${fileUrl}: redirect hop 1 to ${server.base}/objects/motd.txt uses plain http`);
    // The mirror's own downloads came over plain http, as its allowHttp says they may.
    expect(stderr).toContain(`pinned ${FLANNELD} 40000 bytes`);
    expect(code).toBe(1);
    expect(server.hits('/objects/motd.txt')).toBe(0);
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });
});

describe('kindling lock usage', () => {
  it('rejects contradictory or malformed options with exit 2 before any download', async () => {
    const dir = exampleProject();
    expect((await runCli(['lock', dir, '--format', 'yaml'])).status).toBe(2);
    for (const args of [['--check', '--update'], ['--timeout', '0'], ['--retries', '1.5'], ['--arch', 'amd64,s390x'], ['--from-file', 'no-equals-sign']]) {
      const cli = await runCli(['lock', dir, ...args]);
      expect({ args, status: cli.status }).toEqual({ args, status: 2 });
      expect(cli.stderr).toMatch(/^kindling lock: /);
    }
    expect(existsSync(join(dir, 'kindling.lock'))).toBe(false);
  });
});

describe('kindling lock progress', () => {
  it('redraws one progress line per download on a terminal instead of printing log lines', async () => {
    const dir = mirroredProject();
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), color: false };
    expect(await runLock(dir, { retries: '0' }, { io, terminal: true })).toBe(0);
    expect(stderr).toMatch(/\rfetching flanneld-amd64/);
    expect(stderr).toMatch(/\r\S*pinned\S* flanneld-amd64 39\.1 KiB sha256:/);
    expect(stderr).not.toContain(`pinned ${FLANNELD}`);
  });
});
