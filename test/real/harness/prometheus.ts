/**
 * A real Prometheus (Debian's package) for the tests: started on 127.0.0.1 with a configuration
 * file, asked through its HTTP query API, stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface RunningPrometheus {
  readonly port: number;
  /** The instant query's samples (none while Prometheus is starting or the query fails). */
  query(expr: string): Promise<Sample[]>;
  /**
   * Polls `expr` every half second until exactly one sample has `value`; gives up after `seconds`,
   * or as soon as `stillWorthIt()` says false (the thing scraped is gone).
   */
  waitFor(expr: string, value: string, seconds: number, stillWorthIt?: () => boolean): Promise<Sample>;
  stop(): void;
}

export async function startPrometheus(configFile: string, dataDir: string): Promise<RunningPrometheus> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const query = async (expr: string): Promise<Sample[]> => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; data: { result: Sample[] } };
      return body.status === 'success' ? body.data.result : [];
    } catch {
      return [];
    }
  };

  const waitFor = async (expr: string, value: string, seconds: number, stillWorthIt = () => true): Promise<Sample> => {
    const deadline = Date.now() + seconds * 1000;
    let last: Sample[] = [];
    while (Date.now() < deadline && running && stillWorthIt()) {
      last = await query(expr);
      if (last.length === 1 && last[0]!.value[1] === value) return last[0]!;
      await new Promise((r) => setTimeout(r, 500));
    }
    const targets = await fetch(`http://127.0.0.1:${port}/api/v1/targets`)
      .then(async (r) => JSON.stringify(((await r.json()) as { data: { activeTargets: { health: string; lastError: string; lastScrapeDuration: number }[] } }).data.activeTargets.map((t) => ({ health: t.health, lastError: t.lastError, seconds: t.lastScrapeDuration }))))
      .catch(() => 'unknown');
    const why = !running ? `prometheus exited:\n${log.join('').slice(-3000)}` : stillWorthIt() ? `not within ${seconds} s` : 'the scraped target went away';
    throw new Error(`${expr} never became ${value} (${why}); last: ${JSON.stringify(last)}; targets: ${targets}`);
  };

  return { port, query, waitFor, stop: () => void (running && child.pid !== undefined && process.kill(child.pid, 'SIGTERM')) };
}
