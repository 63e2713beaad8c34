/**
 * `kindling serve`'s server: one kindling output and its boot assets over read-only HTTP/1.1, for
 * labs and tests (a production site publishes the same static tree with nginx). GET and HEAD, one
 * byte range per request, content types the boot programs expect, no directory listings, nothing
 * outside the two folders (symbolic links are followed only when they stay inside), and an access
 * log line per request that names the node it belongs to.
 */
import { constants, createReadStream, statSync } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { MANIFEST_NAME, readManifest } from '../emit/manifest.ts';
import { AccessLog } from './access-log.ts';
import { answerRange } from './byte-range.ts';
import { contentTypeOf } from './content-type.ts';
import { DEFAULT_LISTEN, urlAuthority, type ListenAddress } from './listen-address.ts';
import { requestTarget, type RequestTarget } from './request-target.ts';
import { ServeError } from './serve-error.ts';
import { findServedOutput, type ServedOutput, type ServedOutputOptions } from './served-output.ts';

export interface ServeOptions extends ServedOutputOptions {
  /** Where to listen; default 127.0.0.1:8080. Port 0 picks a free port. */
  readonly listen?: ListenAddress;
  /** Receives one access-log line per request (no line break); default: none. */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly output: ServedOutput;
  /** Where out/<cluster>/ answers, e.g. http://127.0.0.1:8080/ (with the publishURL's path). */
  readonly url: string;
  /** Where the boot assets answer, when a boot-asset folder is served. */
  readonly assetsUrl?: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const ALLOWED = 'GET, HEAD';

/** An open regular file inside a served folder, or undefined for anything else. */
async function openServedFile(folder: string, realFolder: string, path: string): Promise<{ handle: FileHandle; size: number; mtime: Date; ino: number } | undefined> {
  let real: string;
  try {
    real = await realpath(`${folder}/${path}`);
  } catch {
    return undefined;
  }
  if (!real.startsWith(realFolder + sep)) return undefined;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: `real` has no link left.
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    return undefined;
  }
  return { handle, size: stat.size, mtime: stat.mtime, ino: stat.ino };
}

const etagOf = (size: number, mtime: Date, ino: number): string => `"${ino.toString(16)}-${size.toString(16)}-${mtime.getTime().toString(16)}"`;

function listenError(error: NodeJS.ErrnoException, listen: ListenAddress): ServeError {
  const where = urlAuthority(listen.host, listen.port);
  switch (error.code) {
    case 'EADDRINUSE':
      return new ServeError(`cannot listen on ${where}: the address is in use`, 'choose another port with --listen ADDR:PORT (port 0 picks a free one)');
    case 'EADDRNOTAVAIL':
      return new ServeError(`cannot listen on ${where}: no interface of this machine has that address`, 'give one of this machine\'s addresses, or 127.0.0.1');
    case 'EACCES':
      return new ServeError(`cannot listen on ${where}: permission denied`, 'ports below 1024 need privileges: use a port such as 8080');
    default:
      return new ServeError(`cannot listen on ${where}: ${error.message}`);
  }
}

export async function serveOutput(options: ServeOptions): Promise<RunningServer> {
  const output = findServedOutput(options);
  const listen = options.listen ?? DEFAULT_LISTEN;
  const folders: Record<RequestTarget['folder'], { dir: string; real: string } | undefined> = {
    output: { dir: output.clusterDir, real: await realpath(output.clusterDir) },
    assets: output.assetsDir !== undefined ? { dir: output.assetsDir, real: await realpath(output.assetsDir) } : undefined,
  };
  const accessLog = new AccessLog(output.manifest);
  // A build replaces the output (and its manifest) while the server runs: the log follows it.
  const manifestPath = join(output.clusterDir, MANIFEST_NAME);
  const manifestIdentity = (): string => {
    try {
      const stat = statSync(manifestPath);
      return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return '';
    }
  };
  let seenManifest = manifestIdentity();
  const followManifest = (): void => {
    const now = manifestIdentity();
    if (now === seenManifest) return;
    seenManifest = now;
    const manifest = readManifest(output.clusterDir);
    if (manifest !== undefined) accessLog.useManifest(manifest);
  };
  const log = options.log;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? '';
    const rawTarget = request.url ?? '';
    const target = requestTarget(rawTarget, output.urlPath, folders.assets !== undefined);
    const logged = { method, rawTarget, remoteAddress: request.socket.remoteAddress ?? '?', target };
    const done = (status: number, bytes = 0, range?: { start: number; end: number; size: number }): void => {
      response.once('close', () => {
        if (log === undefined) return;
        followManifest();
        log(accessLog.line({ ...logged, status, bytes, ...(range ? { range } : {}), cutOff: !response.writableFinished }));
      });
    };
    if (method !== 'GET' && method !== 'HEAD') {
      done(405);
      response.writeHead(405, { allow: ALLOWED, 'content-length': 0 }).end();
      return;
    }
    const folder = target !== undefined ? folders[target.folder] : undefined;
    const file = folder !== undefined && target !== undefined ? await openServedFile(folder.dir, folder.real, target.path) : undefined;
    if (file === undefined) {
      done(404);
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 10 }).end(method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    const { handle, size } = file;
    const etag = etagOf(size, file.mtime, file.ino);
    const headers = {
      'content-type': contentTypeOf(target!.path),
      'accept-ranges': 'bytes',
      'last-modified': file.mtime.toUTCString(),
      etag,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    const ifRange = request.headers['if-range'];
    const range = ifRange === undefined || ifRange === etag ? answerRange(request.headers.range, size) : answerRange(undefined, size);
    if (range.kind === 'unsatisfiable') {
      await handle.close();
      done(416);
      response.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': 0 }).end();
      return;
    }
    const [status, start, end] = range.kind === 'part' ? [206, range.start, range.end] : [200, 0, size - 1];
    const length = end - start + 1;
    response.writeHead(status, {
      ...headers,
      'content-length': length,
      ...(range.kind === 'part' ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    done(status, length, range.kind === 'part' ? { start, end, size } : undefined);
    if (method === 'HEAD' || length === 0) {
      await handle.close();
      response.end();
      return;
    }
    // pipeline, not pipe: a client that leaves mid-download must close the file too.
    pipeline(createReadStream('', { fd: handle, start, end }), response, () => undefined);
  }

  const server: Server = createServer((request, response) => {
    answer(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-length': 0 }).end();
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, listen)));
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${urlAuthority(listen.host, port)}`;
  return {
    output,
    url: `${base}${output.urlPath}`,
    ...(folders.assets !== undefined ? { assetsUrl: `${base}${output.urlPath}assets/` } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
