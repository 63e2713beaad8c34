/**
 * A scripted HTTP (or HTTPS) server on 127.0.0.1 (random port) for the lock tests: each path has a
 * handler, and every request is counted so tests can assert how often kindling asked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface LocalServer {
  readonly base: string;
  route(path: string, handler: Handler): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export interface Certificate {
  /** PEM; also the CA to trust, since it signs itself. */
  readonly cert: string;
  readonly key: string;
}

/** A throw-away self-signed certificate for 127.0.0.1, made by openssl. */
export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-tls-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** With `tls`, the server speaks HTTPS and `base` starts with https://. */
export async function startLocalServer(tls?: Certificate): Promise<LocalServer> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    const handler = routes.get(path);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    handler(req, res, hit);
  };
  const server: Server = tls === undefined ? createServer(handle) : createHttpsServer(tls, handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    route: (path, handler) => {
      routes.set(path, handler);
    },
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging handlers (timeout tests) keep sockets open: end them so close() returns.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` with an exact Content-Length. */
export function sendBytes(res: ServerResponse, body: Buffer, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
  res.end(body);
}

/** Promises `body.length` bytes, sends only the first `sent`, then drops the connection. */
export function sendTruncated(res: ServerResponse, body: Buffer, sent: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
  res.write(body.subarray(0, sent), () => {
    setTimeout(() => res.socket?.destroy(), 20);
  });
}

/** Deterministic pseudo-random bytes (no Math.random): a xorshift stream from a seed. */
export function testBytes(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A fetch over node:http and node:https that trusts `ca`, because Node 20's own fetch cannot be
 * given a CA once the process runs. Like fetch, it follows redirects unless asked for
 * `redirect: 'manual'` (and then hands back the 3xx with its Location).
 */
export function fetchTrusting(ca: string): typeof fetch {
  const once = (url: URL, init: RequestInit | undefined): Promise<Response> =>
    new Promise((resolve, reject) => {
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const options = { ca, headers: (init?.headers ?? {}) as Record<string, string>, ...(init?.signal ? { signal: init.signal } : {}) };
      request(url, options, (res) => resolve(new Response(Readable.toWeb(res) as ReadableStream, { status: res.statusCode ?? 0, headers: toHeaders(res.headers) })))
        .on('error', reject)
        .end();
    });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    for (let hop = 0; ; hop++) {
      const response = await once(url, init);
      const location = response.headers.get('location');
      if (init?.redirect === 'manual' || location === null || response.status < 300 || response.status > 399 || hop === 20) return response;
      await response.body?.cancel();
      url = new URL(location, url);
    }
  }) as typeof fetch;
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}
