/**
 * plan → render → pack on worker threads. Each worker gets the resolved project once (structured
 * clone) and a share of the node indices, and sends back each node's artifacts as it finishes
 * (buffers transferred, not copied). The plan itself stays in the worker: writing needs only the
 * artifacts and the delivery facts.
 */
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import type { NodeBuild } from './build-node.ts';
import type { Project } from './resolve/project-model.ts';

export type WorkerBuild = Omit<NodeBuild, 'node' | 'plan'> & { readonly plan: NodeBuild['plan'] };

export interface WorkerResult {
  readonly index: number;
  readonly build?: Omit<NodeBuild, 'node'>;
  readonly diagnostics: Diagnostic[];
}

export type WorkerMessage = WorkerResult | { readonly done: true } | { readonly error: string };

export async function compileInWorkers(
  project: Project,
  count: number,
  onResult: (index: number, result: { build?: Omit<NodeBuild, 'node'>; diagnostics: Diagnostic[] }) => void,
): Promise<void> {
  // Running from TypeScript sources (development, tests), the worker needs tsx like the main thread.
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './compile-worker-from-sources.mjs' : './compile-worker.js', import.meta.url);
  const indices = project.nodes.map((_, i) => i);
  const shares = Array.from({ length: count }, (_, w) => indices.filter((i) => i % count === w));
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(entry, { workerData: { project, indices: share } });
          worker.on('message', (message: WorkerMessage) => {
            if ('done' in message) void worker.terminate().then(() => resolve());
            else if ('error' in message) reject(new Error(message.error));
            else onResult(message.index, { ...(message.build ? { build: message.build } : {}), diagnostics: message.diagnostics });
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0 && code !== 1) reject(new Error(`a compile worker exited with code ${code}`));
          });
        }),
    ),
  );
}
