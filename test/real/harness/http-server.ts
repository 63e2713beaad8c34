/**
 * A static HTTP server for the real consumers to download from: an in-memory map of path → bytes,
 * bound to 127.0.0.1 only, recording every request so tests can assert what was fetched.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly userAgent: string | undefined;
}

export interface StaticServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** Requests in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Adds or replaces a file while the server runs (path must start with '/'). */
  set(path: string, body: Uint8Array | string): void;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** 0 (the default) lets the kernel pick a free port. */
  readonly port?: number;
}

export async function startStaticServer(
  files: Readonly<Record<string, Uint8Array | string>>,
  options: StaticServerOptions = {},
): Promise<StaticServer> {
  const content = new Map<string, Buffer>();
  const set = (path: string, body: Uint8Array | string): void => {
    if (!path.startsWith('/')) throw new Error(`server paths start with '/': ${path}`);
    content.set(path, Buffer.from(body));
  };
  for (const [path, body] of Object.entries(files)) set(path, body);

  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const body = content.get(path);
    const allowed = request.method === 'GET' || request.method === 'HEAD';
    const status = !allowed ? 405 : body === undefined ? 404 : 200;
    requests.push({ method: request.method ?? '', path, status, userAgent: request.headers['user-agent'] });
    if (status !== 200 || body === undefined) {
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`${status}\n`);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  // Keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    set,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
