/** A compile worker (see compile-workers.ts): builds its share of the nodes and posts each result. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildNode } from './build-node.ts';
import type { Project } from './resolve/project-model.ts';
import type { WorkerMessage } from './compile-workers.ts';

const { project, indices } = workerData as { project: Project; indices: number[] };
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(message, transfer);

try {
  for (const index of indices) {
    const { build, diagnostics } = buildNode(project, project.nodes[index]!);
    if (!build) {
      post({ index, diagnostics });
      continue;
    }
    const transfer = build.artifacts.flatMap((a) => (typeof a.data === 'string' || a.data.byteOffset !== 0 || a.data.byteLength !== a.data.buffer.byteLength ? [] : [a.data.buffer as ArrayBuffer]));
    // The plan is not needed to write the node and is large: send an empty shell.
    const { node: _node, plan: _plan, ...rest } = build;
    post({ index, build: { ...rest, plan: undefined as never }, diagnostics }, [...new Set(transfer)]);
  }
  post({ done: true });
} catch (error) {
  post({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
