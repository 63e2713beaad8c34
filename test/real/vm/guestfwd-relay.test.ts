/**
 * The guestfwd relay on its own, without qemu: libslirp runs it once per guest connection with the
 * guest's socket on stdin/stdout, so that is how it is run here, several at once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../harness/http-server.ts';
import type { StaticServer } from '../harness/http-server.ts';
import { GUEST_MIRROR, userNetdev } from './guestfwd-relay.ts';

function relay(script: string, port: number, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`relay exited ${code}`))));
    child.stdin.end(request);
  });
}

describe('guestfwd relay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-relay-'));
  let server: StaticServer;
  const big = Buffer.alloc(3 * 1024 * 1024, 7);

  beforeAll(async () => {
    server = await startStaticServer({ '/a': 'first artifact\n', '/b': big });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a restricted user netdev whose guestfwd runs the relay for the mirror address', () => {
    const netdev = userNetdev(dir, server.port);
    expect(netdev).toBe(`user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:8080-cmd:python3 ${join(dir, 'relay.py')} ${server.port}`);
    expect(GUEST_MIRROR).toBe('http://10.0.2.100:8080');
  });

  it('carries several concurrent connections to the 127.0.0.1 server, each through its own relay, byte for byte', async () => {
    userNetdev(dir, server.port);
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 10.0.2.100:8080\r\nConnection: close\r\n\r\n`;
    const [a, b] = await Promise.all([relay(join(dir, 'relay.py'), server.port, get('/a')), relay(join(dir, 'relay.py'), server.port, get('/b'))]);
    const split = (response: Buffer) => {
      const end = response.indexOf('\r\n\r\n');
      return { head: response.subarray(0, end).toString(), body: response.subarray(end + 4) };
    };
    expect(split(a).head).toMatch(/^HTTP\/1\.1 200/);
    expect(split(a).body.toString()).toBe('first artifact\n');
    expect(split(b).head).toMatch(/^HTTP\/1\.1 200/);
    expect(split(b).body.equals(big)).toBe(true);
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/a', '/b']);
  });
});
