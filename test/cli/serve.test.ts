/**
 * `kindling serve` as a user runs it: a real process that prints the URL it listens on, serves,
 * logs each request on stderr naming the node, and stops cleanly on SIGTERM and SIGINT (exit 0);
 * bad arguments are reported in one line each, without a stack.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO, exampleProject, tempDir } from '../helpers/project.ts';

const out = join(tempDir('kindling-serve-cli-'), 'out');

beforeAll(() => {
  const profiles = exampleProject({ 'cluster.yaml': (text) => `${text}\ndelivery:\n  publishURL: http://10.0.0.1:8080/lab/\n` });
  if (!buildProject(profiles, { outDir: out, env: {} }).ok) throw new Error('the example did not build');
}, 60_000);

interface Served {
  readonly url: string;
  readonly stop: (signal: NodeJS.Signals) => Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `kindling serve` and waits for the line that names its URL. */
function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [join(REPO, 'bin/kindling.js'), 'serve', ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({
        url,
        stop: async (signal) => {
          child.kill(signal);
          const code = await exited;
          return { code, stdout, stderr };
        },
      });
    });
    void exited.then((code) => reject(new Error(`kindling serve exited (${code}) before printing a URL; stderr: ${stderr}`)));
  });
}

describe('kindling serve', () => {
  it('prints the URL a free port gave it, serves the output, logs the node, and exits 0 on SIGTERM', async () => {
    const served = await startServe([out, '--listen', '127.0.0.1:0']);
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/lab\/$/);
    const answer = await fetch(`${served.url}nodes/worker-2/user-data`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const body = await answer.text();
    const ended = await served.stop('SIGTERM');
    expect(ended.code).toBe(0);
    expect(ended.stdout).toBe(`serving ${join(out, 'lab')} at ${served.url}\n`);
    expect(ended.stderr).toBe(`worker-2 fetched /lab/nodes/worker-2/user-data (200, ${Buffer.byteLength(body)} bytes)\n`);
  }, 40_000);

  it('stops on Ctrl-C (SIGINT) with exit 0, and `:0` keeps to loopback', async () => {
    const served = await startServe([out, '--listen', ':0']);
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lab\/$/);
    expect((await served.stop('SIGINT')).code).toBe(0);
  }, 40_000);

  it('names the boot-asset folder it serves beside the output', async () => {
    const assets = tempDir('kindling-serve-assets-');
    const served = await startServe([out, '--listen', '127.0.0.1:0', '--assets', assets]);
    const ended = await served.stop('SIGTERM');
    expect(ended.stdout).toBe(`serving ${join(out, 'lab')} at ${served.url}\nboot assets from ${assets} at ${served.url}assets/\n`);
  }, 40_000);

  it('says in its help that it serves loopback unless --listen names another address', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--listen <addr:port>/);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('only this machine can connect unless --listen names another address');
  });

  it('rejects a --listen that is not ADDR:PORT as a usage error (exit 2)', async () => {
    for (const [listen, message] of [
      ['8080', '--listen takes ADDR:PORT (e.g. 127.0.0.1:8080, [::1]:8080 or :0), not "8080"'],
      ['127.0.0.1:70000', '--listen: port 70000 is out of range (0-65535; 0 picks a free port)'],
      ['example.com:80', '--listen: "example.com" is not an IP address (write an IPv6 address in brackets: [::1]:8080)'],
      ['[10.0.0.1]:80', '--listen: [10.0.0.1] is not an IPv6 address'],
    ]) {
      const cli = await runCli(['serve', out, '--listen', listen!]);
      expect(cli.status, listen).toBe(2);
      expect(cli.stderr, listen).toBe(`kindling serve: ${message}\n(see kindling serve --help)\n`);
    }
  });

  it('says there is no output to serve, and how to make one (exit 1)', async () => {
    const empty = tempDir('kindling-serve-empty-');
    const cli = await runCli(['serve', empty, '--listen', '127.0.0.1:0']);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toBe(`kindling serve: ${empty} holds no kindling output (no <cluster>/manifest.json written by kindling)\n  hint: run \`kindling build\` first, or give the folder it wrote\n`);
  });
});
