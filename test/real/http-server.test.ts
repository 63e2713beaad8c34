import { afterEach, describe, expect, it } from 'vitest';
import { startStaticServer } from './harness/http-server.ts';
import type { StaticServer } from './harness/http-server.ts';

describe('the static test server', () => {
  let server: StaticServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the in-memory files on 127.0.0.1 and records every request', async () => {
    server = await startStaticServer({ '/a/flanneld': Buffer.from([0, 1, 2, 255]) });
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);

    const hit = await fetch(`${server.baseUrl}/a/flanneld`);
    expect(hit.status).toBe(200);
    expect(Buffer.from(await hit.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    const miss = await fetch(`${server.baseUrl}/missing`);
    expect(miss.status).toBe(404);

    expect(server.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/a/flanneld', 200],
      ['GET', '/missing', 404],
    ]);
  });

  it('serves files added while it runs', async () => {
    server = await startStaticServer({});
    server.set('/late', 'late bytes');
    expect(await (await fetch(`${server.baseUrl}/late`)).text()).toBe('late bytes');
  });

  it('binds a given port and frees it on close', async () => {
    const first = await startStaticServer({});
    const port = first.port;
    await first.close();
    server = await startStaticServer({ '/x': 'x' }, { port });
    expect(server.port).toBe(port);
    expect(await (await fetch(`http://127.0.0.1:${port}/x`)).text()).toBe('x');
  });
});
