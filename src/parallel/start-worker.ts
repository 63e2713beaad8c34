/**
 * Starting and stopping the build's worker threads. A worker runs the compiled module under dist/,
 * or the TypeScript source through tsx (tests, a developer's tree), whose loader a worker must
 * register itself before importing the entry.
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
export function startWorker(entry: 'compile-worker' | 'write-worker'): StartedWorker {
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
