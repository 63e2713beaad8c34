import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtifact } from '../../src/lock/fetch-artifact.ts';
import type { FetchedArtifact } from '../../src/lock/fetch-artifact.ts';
import { createProgressReporter } from '../../src/lock/progress.ts';
import type { ProgressStream } from '../../src/lock/progress.ts';
import { sendBytes, startLocalServer, testBytes } from './local-server.ts';
import type { LocalServer } from './local-server.ts';

const ESC = '\u001b';

function capture(isTTY: boolean, columns = 100): ProgressStream & { text(): string } {
  const parts: string[] = [];
  return { isTTY, columns, write: (s: string) => parts.push(s), text: () => parts.join('') };
}

const URL_A = 'https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64';
const pinned: FetchedArtifact = { url: URL_A, finalUrl: URL_A, size: 2048, sha256: 'ab'.repeat(32), sha512: 'cd'.repeat(64), attempts: 1 };

describe('createProgressReporter on a terminal', () => {
  it('redraws one line with carriage returns and ends it once', () => {
    const stream = capture(true);
    let t = 0;
    const reporter = createProgressReporter({ stream, env: {}, now: () => t });
    reporter.start(URL_A);
    for (const received of [0, 512, 1024, 1536, 2048]) {
      t += 200;
      reporter.progress({ url: URL_A, received, total: 2048, attempt: 1 });
    }
    reporter.done(pinned);
    const text = stream.text();
    expect(text.split('\n')).toHaveLength(2);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.match(/\r/g)?.length).toBe(7);
    expect(text).toContain('[##########----------] 50% 1.0 KiB/2.0 KiB');
    expect(text).toContain('100%');
  });

  it('throttles redraws but always draws completion', () => {
    const stream = capture(true);
    const reporter = createProgressReporter({ stream, env: {}, now: () => 1000, intervalMs: 100 });
    reporter.start(URL_A);
    for (let received = 0; received <= 2048; received += 16) reporter.progress({ url: URL_A, received, total: 2048, attempt: 1 });
    // start + first progress frame + the final 100% frame
    expect(stream.text().match(/\r/g)?.length).toBe(3);
  });

  it('colours the result unless NO_COLOR is set', () => {
    const coloured = capture(true);
    createProgressReporter({ stream: coloured, env: {} }).done(pinned);
    expect(coloured.text()).toContain(`${ESC}[32mpinned${ESC}[0m`);
    const plain = capture(true);
    const reporter = createProgressReporter({ stream: plain, env: { NO_COLOR: '1' } });
    reporter.start(URL_A);
    reporter.retry({ url: URL_A, attempt: 1, delayMs: 1000, reason: 'HTTP 503' });
    reporter.fail(URL_A, 'gave up');
    reporter.done(pinned);
    expect(plain.text()).not.toContain(ESC);
  });

  it('keeps a frame within the terminal width', () => {
    const stream = capture(true, 40);
    const reporter = createProgressReporter({ stream, env: {}, now: () => 0 });
    reporter.progress({ url: `${URL_A}-with-a-very-long-name-indeed`, received: 1, total: 2, attempt: 1 });
    const frame = stream.text().replace('\r', '');
    expect(frame.length).toBeLessThanOrEqual(39);
  });
});

describe('createProgressReporter off a terminal', () => {
  it('writes plain lines without carriage returns or colour', () => {
    const stream = capture(false);
    const reporter = createProgressReporter({ stream, env: {} });
    reporter.start(URL_A);
    reporter.progress({ url: URL_A, received: 1024, total: 2048, attempt: 1 });
    reporter.retry({ url: URL_A, attempt: 1, delayMs: 2000, reason: 'HTTP 503' });
    reporter.done(pinned);
    expect(stream.text()).toBe(
      [`fetching ${URL_A}`, `retry ${URL_A}: HTTP 503; attempt 2 in 2.0 s`, `pinned ${URL_A} 2048 bytes sha256:${'ab'.repeat(32)}`, ''].join('\n'),
    );
  });

  it('treats TERM=dumb as not a terminal', () => {
    const stream = capture(true);
    createProgressReporter({ stream, env: { TERM: 'dumb' } }).start(URL_A);
    expect(stream.text()).toBe(`fetching ${URL_A}\n`);
  });
});

describe('the sizes a progress frame shows', () => {
  it('uses binary units', () => {
    const frame = (received: number, total: number): string => {
      const stream = capture(true, 200);
      createProgressReporter({ stream, env: {}, now: () => 0 }).progress({ url: URL_A, received, total, attempt: 1 });
      return stream.text();
    };
    expect(frame(0, 1023)).toContain(' 0 B/1023 B');
    expect(frame(1536, 41 * 1024 * 1024)).toContain(' 1.5 KiB/41.0 MiB');
  });
});

describe('progress with a real download', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  it('draws a download from the local server to completion', async () => {
    const body = testBytes(300_000, 31);
    server.route('/flanneld-amd64', (_req, res) => sendBytes(res, body));
    const stream = capture(true);
    const reporter = createProgressReporter({ stream, env: { NO_COLOR: '1' }, intervalMs: 0 });
    const url = `${server.base}/flanneld-amd64`;
    reporter.start(url);
    const result = await fetchArtifact(url, { allowHttp: true, onProgress: reporter.progress, onRetry: reporter.retry });
    reporter.done(result);
    expect(stream.text()).toContain('293.0 KiB/293.0 KiB');
    expect(stream.text()).toMatch(/pinned flanneld-amd64 293\.0 KiB sha256:[0-9a-f]{16}…\s*\n$/);
  });
});
