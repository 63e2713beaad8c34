/**
 * Progress for `kindling lock`. On a terminal: one line redrawn in place with `\r` (throttled so a
 * fast local mirror does not flood the tty). Anywhere else — CI logs, pipes, files — plain lines
 * only at start, retry and end, because `\r` frames turn into thousands of log lines.
 * Colour only on a terminal and never when NO_COLOR is set (https://no-color.org) or TERM=dumb.
 */
import type { FetchProgress, FetchRetry, FetchedArtifact } from './fetch-artifact.ts';

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressReporter {
  /** Announces a download; call before fetchArtifact. */
  start(url: string): void;
  /** Pass as fetchArtifact's onProgress. */
  progress(progress: FetchProgress): void;
  /** Pass as fetchArtifact's onRetry. */
  retry(retry: FetchRetry): void;
  /** The bytes were accepted; `label` says how ('pinned', or 'verified' against an existing pin). */
  done(artifact: FetchedArtifact, label?: string): void;
  fail(url: string, reason: string): void;
  /** The bytes arrived but failed verification (a changed pin, the profile's sha512): never shown as pinned. */
  reject(url: string, reason: string): void;
}

export interface ProgressOptions {
  readonly stream: ProgressStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock for throttling; injected so tests need no timers. */
  readonly now?: () => number;
  /** Minimum time between redraws on a terminal. Default 100 ms. */
  readonly intervalMs?: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** The file name is what a human recognises; the full URL goes into the start and end lines. */
function shortName(url: string): string {
  try {
    return new URL(url).pathname.split('/').at(-1) || url;
  } catch {
    return url;
  }
}

function bar(received: number, total: number | undefined, width: number): string {
  if (total === undefined || total === 0) return '';
  const filled = Math.min(width, Math.floor((received / total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor((received / total) * 100)}% `;
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const { stream } = options;
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 100;
  const interactive = stream.isTTY === true && env.TERM !== 'dumb';
  const colour = interactive && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  const paint = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lineOpen = false;
  let lastLength = 0;

  const draw = (text: string): void => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    // Pad over the previous frame instead of sending an erase sequence: works on any terminal.
    stream.write(`\r${line}${' '.repeat(Math.max(0, lastLength - line.length))}`);
    lastLength = line.length;
    lineOpen = true;
  };
  const endLine = (): void => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
    lastLength = 0;
  };

  return {
    start(url) {
      if (interactive) {
        lastDraw = Number.NEGATIVE_INFINITY;
        draw(`fetching ${shortName(url)}`);
      } else {
        stream.write(`fetching ${url}\n`);
      }
    },
    progress(p) {
      if (!interactive) return;
      const t = now();
      const complete = p.total !== undefined && p.received >= p.total;
      if (!complete && t - lastDraw < intervalMs) return;
      lastDraw = t;
      const size = p.total === undefined ? formatBytes(p.received) : `${formatBytes(p.received)}/${formatBytes(p.total)}`;
      draw(`fetching ${shortName(p.url)} ${bar(p.received, p.total, 20)}${size}`);
    },
    retry(r) {
      const text = `${paint(33, 'retry')} ${shortName(r.url)}: ${r.reason}; attempt ${r.attempt + 1} in ${(r.delayMs / 1000).toFixed(1)} s`;
      if (interactive) {
        endLine();
        stream.write(`${text}\n`);
      } else {
        stream.write(`retry ${r.url}: ${r.reason}; attempt ${r.attempt + 1} in ${(r.delayMs / 1000).toFixed(1)} s\n`);
      }
    },
    done(a, label = 'pinned') {
      const text = `${formatBytes(a.size)} sha256:${a.sha256.slice(0, 16)}…`;
      if (interactive) {
        draw(`${paint(32, label)} ${shortName(a.url)} ${text}`);
        endLine();
      } else {
        stream.write(`${label} ${a.url} ${a.size} bytes sha256:${a.sha256}\n`);
      }
    },
    reject(url, reason) {
      if (interactive) {
        endLine();
        stream.write(`${paint(31, 'rejected')} ${shortName(url)}: ${reason}\n`);
      } else {
        stream.write(`rejected ${url}: ${reason}\n`);
      }
    },
    fail(url, reason) {
      if (interactive) {
        endLine();
        stream.write(`${paint(31, 'failed')} ${shortName(url)}: ${reason}\n`);
      } else {
        stream.write(`failed ${url}: ${reason}\n`);
      }
    },
  };
}
