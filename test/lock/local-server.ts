/**
 * A scripted HTTP server on 127.0.0.1 (random port) for the lock tests: each path has a handler,
 * and every request is counted so tests can assert how often kindling asked.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface LocalServer {
  readonly base: string;
  route(path: string, handler: Handler): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
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
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
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
