/**
 * `kindling build` for fleets: the main thread loads the project, then the work is spread over
 * threads. Output is byte-identical to the one-thread build (each node's files depend on the node
 * alone), only sooner.
 *
 * - Two threads (a 2-core machine), fresh build: this thread renders, a write worker writes
 *   (write-behind.ts). Rendering on both would pay V8's warm-up twice and compete for the cores.
 * - Otherwise (more threads, or a rebuild, which compares before it writes): nodes go to rendering
 *   workers in small chunks, four chunks ahead, so a worker never waits for the main thread and the
 *   faster side simply takes more chunks; the main thread renders too.
 * - Small projects (and `jobs: 1`) build on the main thread: a worker's start-up costs more than it
 *   saves below a few hundred nodes.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { BuildSession, startBuild, type BuildOptions, type BuildResult } from '../build-project.ts';
import { nodeOutcome, stageOutcome } from '../node-outcome.ts';
import { StagingFiles } from '../emit/write-output.ts';
import { profileBytes } from '../parse/read-profile-dir.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { WorkerWatch, startWorker, stopWorkers, type StartedWorker } from './start-worker.ts';
import { renderWritingBehind } from './write-behind.ts';
import { writeError } from './transfer.ts';

export interface ParallelOptions {
  /** Threads, the main thread included; default: the machine's available parallelism (at most 4). */
  readonly jobs?: number;
  /** Below this many nodes everything stays on the main thread (default 400). */
  readonly minNodesForWorkers?: number;
  /** Two threads: batches the write worker may have waiting before the rendering thread writes one itself (default 8). */
  readonly writerBacklog?: number;
}

const CHUNK = 32;
const AHEAD = 4;

/**
 * Profile text of this size or more holds a few hundred nodes or more (a node takes ~150 bytes at
 * the least): its workers start before the project is loaded, so their start-up (~0.2 s of module
 * loading) overlaps the load instead of following it. A guess that proves wrong costs only that.
 */
const EARLY_START_BYTES = 64 * 1024;

export async function buildProjectInParallel(dir: string, options: BuildOptions & ParallelOptions): Promise<BuildResult> {
  const jobs = Math.max(1, Math.min(options.jobs ?? Math.min(availableParallelism(), 4), 64));
  // Two threads: this one renders, a write worker writes (a fresh build; see write-behind.ts), so
  // only builds of three threads or more start rendering workers early.
  const early = jobs > 2 && profileBytes(dir) >= EARLY_START_BYTES ? Array.from({ length: jobs - 1 }, () => startWorker('compile-worker')) : [];
  const session = startBuild(dir, options);
  if (!(session instanceof BuildSession)) {
    await stopWorkers(early);
    return session;
  }
  const nodes = session.project.nodes;
  const large = nodes.length >= (options.minNodesForWorkers ?? 400);
  const strict = options.strict ?? false;
  const stagingDir = large && jobs === 2 ? session.directStaging() : undefined;
  const workerCount = large && stagingDir === undefined ? Math.min(jobs - 1, Math.ceil(nodes.length / CHUNK) - 1) : 0;
  const workers = early.slice(0, workerCount);
  await stopWorkers(early.slice(workers.length));
  while (workers.length < workerCount) workers.push(startWorker('compile-worker'));
  try {
    if (stagingDir !== undefined) await renderWritingBehind(session, stagingDir, strict, options.writerBacklog);
    else if (workers.length > 0) await renderAlongsideWorkers(session, workers, strict);
    else session.buildAllHere();
  } catch (error) {
    session.abort();
    throw error;
  }
  return session.finish();
}

async function renderAlongsideWorkers(session: BuildSession, workers: readonly StartedWorker[], strict: boolean): Promise<void> {
  const { project } = session;
  const nodes = project.nodes;
  let next = 0;
  const take = (): number | undefined => {
    if (next >= nodes.length) return undefined;
    const start = next;
    next = Math.min(nodes.length, next + CHUNK);
    return start;
  };

  let outstanding = 0;
  /** A write failed: render nothing more (the build fails and the staging folder goes). */
  let stopped = false;
  const watch = new WorkerWatch();

  // A fresh build writes every node: each thread then writes the nodes it rendered.
  const stagingDir = session.directStaging();
  const staging = stagingDir !== undefined ? new StagingFiles(stagingDir) : undefined;
  const send = (worker: Worker): void => {
    const start = take();
    if (start === undefined) return;
    outstanding++;
    const message: ToWorker = { type: 'nodes', start, nodes: nodes.slice(start, start + CHUNK) };
    worker.postMessage(message);
  };

  for (const started of workers) {
    const { worker } = started;
    watch.watch(started, 'a build worker', () => outstanding > 0);
    const init: ToWorker = { type: 'project', project: { ...project, nodes: [] }, strict, ...(stagingDir !== undefined ? { staging: stagingDir } : {}) };
    worker.postMessage(init);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'failed') {
        watch.fail(Object.assign(new Error(`a build worker failed: ${message.message}`), message.stack ? { stack: message.stack } : {}));
      } else if (message.type === 'write-failed') {
        outstanding--;
        session.writeFailed(writeError(message));
        stopped = true;
      } else {
        outstanding--;
        if (message.type === 'staged') message.outcomes.forEach((outcome, i) => session.acceptStaged(message.start + i, outcome));
        else message.outcomes.forEach((outcome, i) => session.accept(message.start + i, outcome));
        if (watch.failure === undefined && !stopped) send(worker);
      }
      watch.notify();
    });
    for (let i = 0; i < AHEAD; i++) send(worker);
  }

  try {
    // The main thread renders too, a chunk at a time, and between chunks lets the workers' results in.
    for (let start = take(); start !== undefined && watch.failure === undefined && !stopped; start = take()) {
      const end = Math.min(nodes.length, start + CHUNK);
      for (let index = start; index < end; index++) {
        const outcome = nodeOutcome(project, nodes[index]!, strict);
        if (!staging) session.accept(index, outcome);
        else {
          try {
            session.acceptStaged(index, stageOutcome(staging, outcome));
          } catch (error) {
            session.writeFailed(error);
            stopped = true;
            break;
          }
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await watch.until(() => outstanding === 0);
    if (watch.failure !== undefined) throw watch.failure;
  } finally {
    await stopWorkers(workers);
  }
}
