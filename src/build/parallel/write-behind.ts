/**
 * A fresh build on two threads: this thread renders every node, a write worker writes the files.
 *
 * This beats rendering on more threads (see build-in-parallel.ts): each thread that renders pays
 * V8's warm-up and competes for the cores, while writing is mostly the kernel's work and needs
 * almost no JavaScript. The writer also encodes and hashes the files (it has time to spare; this
 * thread has not); when it falls behind (a slow disk), this thread writes batches too. Output is
 * byte-identical to a one-thread build: the same files, modes and manifest
 * (test/build/parallel/build-in-parallel.test.ts).
 */
import type { BuildSession } from '../build-project.ts';
import type { NodeOutcome } from '../node-outcome.ts';
import { StagingFiles, stageFile } from '../../emit/write-output.ts';
import type { NodeInputs } from '../../emit/disk-state.ts';
import type { FileToWrite, FromWriter, ToWriter, WrittenEntry } from './messages.ts';
import { WorkerWatch, startWorker, stopWorkers } from './start-worker.ts';
import { ownsItsBuffer, writeError } from './transfer.ts';

/** Nodes per batch, and (by default) batches on their way to the writer before this thread writes one itself. */
const BATCH_NODES = 32;
const MAX_IN_FLIGHT = 8;

export async function renderWritingBehind(session: BuildSession, stagingDir: string, backlog = MAX_IN_FLIGHT): Promise<void> {
  const { project } = session;
  const started = startWorker('write-worker');
  const { worker } = started;
  let inFlight = 0;
  let stopped = false;
  const watch = new WorkerWatch();
  // Nodes rendered and sent, until the writer says what it wrote for them.
  const pending = new Map<number, Pick<NonNullable<NodeOutcome['built']>, 'summary' | 'manifest'> & Pick<NodeOutcome, 'diagnostics'> & { inputs: NodeInputs }>();
  const accept = (index: number, entries: readonly WrittenEntry[]): void => {
    const { diagnostics, summary, manifest, inputs } = pending.get(index)!;
    pending.delete(index);
    session.acceptStaged(index, { diagnostics, built: { summary, manifest, entries: [...entries] } }, inputs);
  };
  worker.on('message', (message: FromWriter) => {
    inFlight--;
    if (message.type === 'written') {
      for (const { index, entries } of message.nodes) accept(index, entries);
    } else if (message.type === 'write-failed') {
      session.writeFailed(writeError(message));
      stopped = true;
    }
    watch.notify();
  });
  watch.watch(started, 'the write worker', () => inFlight > 0);

  const start: ToWriter = { type: 'staging', dir: stagingDir, access: session.access };
  worker.postMessage(start);
  let batch: { index: number; files: FileToWrite[] }[] = [];
  let transfer: ArrayBuffer[] = [];
  const send = (): void => {
    if (batch.length === 0) return;
    const message: ToWriter = { type: 'write', nodes: batch };
    worker.postMessage(message, transfer);
    inFlight++;
    batch = [];
    transfer = [];
  };

  const here = new StagingFiles(stagingDir, session.access);
  const writeHere = (): void => {
    try {
      for (const { index, files } of batch) {
        accept(index, files.map((file) => stageFile(here, file)));
      }
    } catch (error) {
      session.writeFailed(error);
      stopped = true;
    }
    batch = [];
    transfer = [];
  };

  try {
    const nodes = project.nodes;
    for (let index = 0; index < nodes.length && watch.failure === undefined && !stopped; index++) {
      const outcome = session.outcomeOf(index);
      if (!outcome.built) {
        session.acceptStaged(index, { diagnostics: outcome.diagnostics });
        continue;
      }
      pending.set(index, {
        diagnostics: outcome.diagnostics,
        summary: outcome.built.summary,
        manifest: outcome.built.manifest,
        inputs: session.inputsOf(index, { diagnostics: outcome.diagnostics, built: outcome.built }),
      });
      const files: FileToWrite[] = outcome.built.files.map((file) => {
        const data = file.bytes ?? file.data;
        const moved = typeof data === 'string' ? data : movable(data, transfer);
        if (typeof moved !== 'string') transfer.push(moved.buffer as ArrayBuffer);
        return { path: file.path, kind: file.kind, data: moved, mode: file.mode, ...(file.sha256 !== undefined ? { sha256: file.sha256 } : {}) };
      });
      batch.push({ index, files });
      if ((index + 1) % BATCH_NODES === 0) {
        // A writer that falls behind (a slow disk) gets help: this thread writes the batch itself,
        // so storage that takes parallel writes gets two writers, and memory stays bounded.
        if (inFlight < backlog) send();
        else writeHere();
        // Lets the writer's answers in.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    send();
    await watch.until(() => inFlight === 0);
    if (watch.failure !== undefined) throw watch.failure;
    // After a failed write the rest were not written: the build fails, but their reports still count.
    for (const [index, { diagnostics }] of pending) session.acceptStaged(index, { diagnostics });
  } finally {
    await stopWorkers([started]);
  }
}

/**
 * Bytes that can move to the writer: a buffer that owns all of its memory and is not already on
 * its way moves as it is; a slice of Node's shared pool (small texts) or a buffer seen twice is
 * copied first, since moving it would take its neighbours' bytes along, or fail.
 */
function movable(data: Uint8Array, moving: readonly ArrayBuffer[]): Uint8Array {
  return ownsItsBuffer(data) && !moving.includes(data.buffer) ? data : data.slice();
}
