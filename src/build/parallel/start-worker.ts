/**
 * Starting and stopping the build's worker thread. A worker runs the built module beside this one
 * (bundle/ for the command line, dist/ for the library; scripts/build-cli.mjs lists the workers
 * it bundles), or the TypeScript source through tsx (tests, a developer's tree), whose loader a
 * worker must register itself before importing the entry.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface StartedWorker {
  readonly worker: Worker;
  /** An error the worker raised before the build listened to it (a failed start). */
  readonly bootError: { error?: Error };
}

/** `entry`: the module's name in this folder, without extension. */
export function startWorker(entry: 'write-worker' | 'stat-worker'): StartedWorker {
  const worker = newWorker(entry);
  const bootError: { error?: Error } = {};
  worker.once('error', (error) => (bootError.error ??= error));
  return { worker, bootError };
}

export async function stopWorkers(workers: readonly StartedWorker[]): Promise<void> {
  await Promise.all(workers.map(({ worker }) => worker.terminate()));
}

function newWorker(entry: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, import.meta.url));
  // The package's `import` entry (require.resolve gives its CommonJS twin, which a worker cannot use here).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = new URL(`./${entry}.ts`, import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

/**
 * What a thread waiting on workers needs: the first failure (a worker's error, or its exit with
 * work unfinished), and a way to sleep until a worker's message changes something.
 */
export class WorkerWatch {
  failure: Error | undefined;
  private wake: (() => void) | undefined;

  /** Fails on the worker's errors and on its exit while `unfinished()`; `what` names it in the message. */
  watch({ worker, bootError }: StartedWorker, what: string, unfinished: () => boolean): void {
    if (bootError.error !== undefined) this.fail(bootError.error);
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (unfinished()) this.fail(new Error(`${what} stopped (exit code ${code}) with work unfinished`));
      else this.notify();
    });
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  /** Wakes the thread sleeping in until(). */
  notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  /** Sleeps until `done()` holds or a worker failed. */
  async until(done: () => boolean): Promise<void> {
    while (!done() && this.failure === undefined) await new Promise<void>((resolve) => (this.wake = resolve));
  }
}
