/**
 * Downloads one release artifact for `kindling lock` and hashes it while it streams, so a large
 * binary is never held in memory unless the caller asks for the bytes.
 *
 * Uses the fetch it is given (the CLI's honours the proxy variables: proxy-fetch.ts), else Node's. Redirects are followed here, hop by hop, rather than by
 * fetch (GitHub answers release downloads with a 302 to its object store): fetch would follow an
 * https URL to plain http, and a download must never lose its transport security on the way, so
 * every hop — the first URL included — is checked against the rule the profile's URLs obey before
 * it is requested (see download-url-rule.ts). Network errors, timeouts, truncated bodies, 408, 429
 * and 5xx are retried with exponential backoff; other 4xx — above all 404, a wrong URL in the
 * catalog — are not, and neither is a refused hop or a redirect loop, because asking again cannot help.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { MAX_REDIRECTS, downloadUrlProblem, isRedirect } from './download-url-rule.ts';

export type ArtifactFetchFailure =
  | 'not-found'
  | 'http-status'
  | 'network'
  | 'timeout'
  | 'truncated'
  | 'too-large'
  | 'aborted'
  | 'insecure'
  | 'too-many-redirects';

export class ArtifactFetchError extends Error {
  readonly url: string;
  readonly failure: ArtifactFetchFailure;
  readonly status: number | undefined;
  readonly attempts: number;
  constructor(url: string, failure: ArtifactFetchFailure, message: string, attempts: number, status?: number) {
    super(message);
    this.name = 'ArtifactFetchError';
    this.url = url;
    this.failure = failure;
    this.status = status;
    this.attempts = attempts;
  }
}

export interface FetchProgress {
  readonly url: string;
  /** Bytes received so far in this attempt. */
  readonly received: number;
  /** From Content-Length, when the server sent one. */
  readonly total: number | undefined;
  readonly attempt: number;
}

export interface FetchRetry {
  readonly url: string;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export interface FetchArtifactOptions {
  /** Per-attempt limit for headers and body together. Default 300,000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  readonly retries?: number;
  /** Delay before the first retry; doubles each time. Default 1,000 ms. */
  readonly backoffMs?: number;
  /** Cap on a single backoff delay. Default 30,000 ms. */
  readonly maxBackoffMs?: number;
  /** Refuse bodies larger than this many bytes (a wrong URL can point at something huge). Default MAX_ARTIFACT_BYTES. */
  readonly maxBytes?: number;
  /**
   * Plain http is acceptable at every hop (the downloads of a mirror marked allowHttp). Default:
   * https only, for the first URL and every redirect.
   */
  readonly allowHttp?: boolean;
  /** Keep the body and return it (for small files such as checksum lists). */
  readonly keepBody?: boolean;
  /**
   * Also write the body to this file as it streams (created or truncated by each attempt, mode
   * 0644), so a large artifact can be kept without holding it in memory. The caller removes it
   * when the download fails.
   */
  readonly writeTo?: string;
  readonly onProgress?: (progress: FetchProgress) => void;
  readonly onRetry?: (retry: FetchRetry) => void;
  /** Cancels the whole download, retries included. */
  readonly signal?: AbortSignal;
  /** Injection points for tests and for callers with their own transport. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface FetchedArtifact {
  /** The URL asked for (what the lock file records). */
  readonly url: string;
  /** Where the bytes came from after redirects. */
  readonly finalUrl: string;
  readonly size: number;
  /** Lower-case hex digests. */
  readonly sha256: string;
  readonly sha512: string;
  readonly attempts: number;
  readonly body?: Buffer;
}

/**
 * The largest artifact `kindling lock` pins, downloaded or local: 512 MiB (README, "Pinning
 * downloads"). Release binaries and plugin tarballs are tens of MiB; anything this size is a wrong
 * URL or a server that does not stop.
 */
export const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

const DEFAULTS = {
  timeoutMs: 300_000,
  retries: 4,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxBytes: MAX_ARTIFACT_BYTES,
};

/** Thrown inside an attempt; `retryable` decides whether another attempt is made. */
class AttemptError extends Error {
  readonly failure: ArtifactFetchFailure;
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(failure: ArtifactFetchFailure, message: string, retryable: boolean, status?: number) {
    super(message);
    this.failure = failure;
    this.retryable = retryable;
    this.status = status;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AttemptError('aborted', 'download cancelled', false));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici wraps the socket error in `cause`; that is the part worth showing.
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== '') return `${error.message}: ${cause.message}`;
  return error.message;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

async function attemptOnce(
  url: string,
  attempt: number,
  options: FetchArtifactOptions,
  fetchImpl: typeof fetch,
): Promise<Omit<FetchedArtifact, 'attempts'>> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let received = 0;
  let total: number | undefined;
  try {
    let current = url;
    let response: Response;
    for (let hop = 0; ; hop++) {
      try {
        response = await fetchImpl(current, {
          redirect: 'manual',
          signal: controller.signal,
          // Identity encoding keeps Content-Length comparable with the bytes we count and hash.
          headers: { 'accept-encoding': 'identity', 'user-agent': 'kindling-lock' },
        });
      } catch (error) {
        throw attemptFailure(error, timedOut, options.signal, timeoutMs, received, total);
      }
      const location = isRedirect(response.status) ? response.headers.get('location') : null;
      if (location === null) break;
      await response.body?.cancel();
      const next = URL.canParse(location, current) ? new URL(location, current).href : undefined;
      if (next === undefined) {
        throw new AttemptError('http-status', `${url}: redirect hop ${hop + 1} has a Location that is not a URL: ${JSON.stringify(location)}`, false, response.status);
      }
      if (hop === MAX_REDIRECTS) {
        throw new AttemptError('too-many-redirects', `${url} redirected more than ${MAX_REDIRECTS} times (hop ${hop + 1} would be ${next})`, false);
      }
      const problem = downloadUrlProblem(next, options.allowHttp === true);
      if (problem !== undefined) throw new AttemptError('insecure', `${url}: redirect hop ${hop + 1} to ${next} ${problem}`, false);
      current = next;
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      throw new AttemptError('not-found', `${url} answered ${response.status} (not found): check the version and arch in the catalog`, false, response.status);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AttemptError('http-status', `${url} answered HTTP ${response.status}`, isRetryableStatus(response.status), response.status);
    }
    const encoding = response.headers.get('content-encoding');
    const lengthHeader = response.headers.get('content-length');
    if (lengthHeader !== null && /^\d+$/.test(lengthHeader) && (encoding === null || encoding === 'identity')) {
      total = Number(lengthHeader);
      if (total > maxBytes) {
        await response.body?.cancel();
        throw new AttemptError('too-large', `${url} is ${total} bytes, more than the limit of ${maxBytes}`, false);
      }
    }
    const sha256 = createHash('sha256');
    const sha512 = createHash('sha512');
    const chunks: Buffer[] = [];
    options.onProgress?.({ url, received, total, attempt });
    let file: FileHandle | undefined;
    if (response.body !== null || options.writeTo !== undefined) {
      try {
        if (options.writeTo !== undefined) file = await open(options.writeTo, 'w', 0o644);
        for await (const chunk of response.body ?? []) {
          received += chunk.byteLength;
          if (received > maxBytes) {
            controller.abort();
            throw new AttemptError('too-large', `${url} sent more than the limit of ${maxBytes} bytes`, false);
          }
          // A transport that does not enforce Content-Length itself: the rest is not what was announced.
          if (total !== undefined && received > total) {
            controller.abort();
            throw new AttemptError('too-large', `${url} sent more than the ${total} bytes its Content-Length announced`, false);
          }
          sha256.update(chunk);
          sha512.update(chunk);
          if (file !== undefined) await file.write(chunk);
          if (options.keepBody === true) chunks.push(Buffer.from(chunk));
          options.onProgress?.({ url, received, total, attempt });
        }
      } catch (error) {
        if (error instanceof AttemptError) throw error;
        // A file that cannot be written is not a network problem, and retrying will not help.
        if (file === undefined && options.writeTo !== undefined) throw new AttemptError('network', `cannot write ${options.writeTo}: ${describeError(error)}`, false);
        throw attemptFailure(error, timedOut, options.signal, timeoutMs, received, total);
      } finally {
        await file?.close();
      }
    }
    if (total !== undefined && received !== total) {
      throw new AttemptError('truncated', `${url} sent ${received} of ${total} bytes (truncated body)`, true);
    }
    return {
      url,
      finalUrl: current,
      size: received,
      sha256: sha256.digest('hex'),
      sha512: sha512.digest('hex'),
      ...(options.keepBody === true ? { body: Buffer.concat(chunks) } : {}),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function attemptFailure(
  error: unknown,
  timedOut: boolean,
  outer: AbortSignal | undefined,
  timeoutMs: number,
  received: number,
  total: number | undefined,
): AttemptError {
  if (outer?.aborted === true) return new AttemptError('aborted', 'download cancelled', false);
  if (timedOut) return new AttemptError('timeout', `no complete response within ${timeoutMs} ms`, true);
  // A connection that drops mid-body is how truncation usually shows up with undici.
  if (total !== undefined && received < total) {
    return new AttemptError('truncated', `connection ended after ${received} of ${total} bytes (${describeError(error)})`, true);
  }
  return new AttemptError('network', describeError(error), true);
}

/** Downloads `url`, retrying transient failures; throws ArtifactFetchError when it gives up. */
export async function fetchArtifact(url: string, options: FetchArtifactOptions = {}): Promise<FetchedArtifact> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => defaultSleep(ms, options.signal));
  const retries = options.retries ?? DEFAULTS.retries;
  const backoffMs = options.backoffMs ?? DEFAULTS.backoffMs;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  const problem = downloadUrlProblem(url, options.allowHttp === true);
  if (problem !== undefined) throw new ArtifactFetchError(url, 'insecure', `${url} ${problem}`, 1);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await attemptOnce(url, attempt, options, fetchImpl);
      return { ...result, attempts: attempt };
    } catch (error) {
      const failure = error instanceof AttemptError ? error : new AttemptError('network', describeError(error), true);
      if (!failure.retryable || attempt > retries || options.signal?.aborted === true) {
        const tries = attempt === 1 ? '' : ` (after ${attempt} attempts)`;
        throw new ArtifactFetchError(url, failure.failure, `${failure.message}${tries}`, attempt, failure.status);
      }
      const delayMs = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
      options.onRetry?.({ url, attempt, delayMs, reason: failure.message });
      try {
        await sleep(delayMs);
      } catch {
        throw new ArtifactFetchError(url, 'aborted', 'download cancelled', attempt);
      }
    }
  }
}
