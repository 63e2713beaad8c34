/**
 * `kindling build` for fleets: the main thread loads the project and renders every node; on a
 * fresh build of a large fleet a write worker encodes, hashes and writes the files meanwhile
 * (write-behind.ts). Output is byte-identical to the one-thread build (each node's files depend on
 * the node alone), only sooner.
 *
 * Rendering stays on one thread: every thread that renders pays V8's warm-up (optimizing
 * compilation on a background thread, long for a fleet) and, on a small machine, competes with the
 * others for the cores, while writing is mostly the kernel's work (bench/README.md has the figures).
 * A rebuild compares before it writes, and reuses the nodes whose inputs did not change, so it
 * renders and writes on this thread. Small projects (and `jobs: 1`)
 * build on this thread alone: a worker's start-up costs more than it saves below a few hundred
 * nodes.
 */
import { BuildSession, startBuild, type BuildOptions, type BuildResult } from '../build-project.ts';
import { renderWritingBehind } from './write-behind.ts';
import { StatPrefetch } from './prefetch-stats.ts';

export interface ParallelOptions {
  /** 1: everything on this thread; more (the default): a write worker for fresh builds of large fleets. */
  readonly jobs?: number;
  /** Below this many nodes everything stays on this thread (default 400). */
  readonly minNodesForWorkers?: number;
  /** Batches the write worker may have waiting before the rendering thread writes one itself (default 8). */
  readonly writerBacklog?: number;
  /**
   * From this many entries in the previous output (default 2000), a rebuild lstat()s them on a second
   * thread while it loads the profiles (prefetch-stats.ts).
   */
  readonly minEntriesForPrefetch?: number;
}

export async function buildProjectInParallel(dir: string, options: BuildOptions & ParallelOptions): Promise<BuildResult> {
  let prefetch: StatPrefetch | undefined;
  const threads = (options.jobs ?? 2) > 1;
  const session = startBuild(dir, options, {
    outputOpened: (writer) => {
      if (threads && writer.previousEntries().length >= (options.minEntriesForPrefetch ?? 2000)) prefetch = StatPrefetch.start(writer);
    },
  });
  if (!(session instanceof BuildSession)) {
    await prefetch?.discard();
    return session;
  }
  if (prefetch !== undefined) await session.prefetched(prefetch);
  const large = session.project.nodes.length >= (options.minNodesForWorkers ?? 400);
  const stagingDir = large && (options.jobs ?? 2) > 1 ? session.directStaging() : undefined;
  try {
    if (stagingDir !== undefined) await renderWritingBehind(session, stagingDir, options.writerBacklog);
    else session.buildAllHere();
  } catch (error) {
    session.abort();
    throw error;
  }
  return session.finish();
}
