/**
 * lstat() of the previous output on a second thread, started as soon as the output is open and run
 * while the main thread validates and resolves the profiles: on a rebuild of a large fleet, checking
 * the disk is the one part of deciding "unchanged" that needs no profile, and the bulk of its cost.
 * Only an optimisation: if the worker fails, the checks ask the disk themselves, with the same result.
 */
import type { OutputWriter } from '../../emit/write-output.ts';
import type { EntryStat, PrefetchedStats } from '../../emit/disk-state.ts';
import { startWorker, stopWorkers, type StartedWorker } from './start-worker.ts';
import { STAT_FIELDS, StatType, type StatReply, type StatRequest } from './stat-messages.ts';

export class StatPrefetch {
  private constructor(
    private readonly started: StartedWorker,
    private readonly paths: readonly string[],
    private readonly reply: Promise<StatReply | undefined>,
  ) {}

  /** Starts the worker on the writer's previous entries; undefined when there is no previous output. */
  static start(writer: OutputWriter): StatPrefetch | undefined {
    const paths = writer.previousEntries();
    if (paths.length === 0) return undefined;
    const started = startWorker('stat-worker');
    const reply = new Promise<StatReply | undefined>((resolve) => {
      started.worker.once('message', resolve);
      started.worker.once('error', () => resolve(undefined));
      started.worker.once('exit', () => resolve(undefined));
      if (started.bootError.error !== undefined) resolve(undefined);
    });
    const request: StatRequest = { root: writer.clusterDir, paths };
    started.worker.postMessage(request);
    return new StatPrefetch(started, paths, reply);
  }

  /** Hands the answers to the writer, and stops the worker. */
  async applyTo(writer: OutputWriter): Promise<void> {
    const reply = await this.reply;
    // Its work is done: the build need not wait for the thread to wind down.
    void stopWorkers([this.started]);
    if (reply === undefined) return;
    writer.usePrefetched(new StatAnswers(this.paths, reply.stats));
  }

  /** Stops the worker without using its answers (the build ended early). */
  async discard(): Promise<void> {
    await stopWorkers([this.started]);
  }
}

/** The worker's answers by path, decoded when asked for (tens of thousands of them live only that long). */
class StatAnswers implements PrefetchedStats {
  private readonly index = new Map<string, number>();

  constructor(
    paths: readonly string[],
    private readonly stats: Float64Array,
  ) {
    for (let i = 0; i < paths.length; i++) this.index.set(paths[i]!, i);
  }

  take(path: string): EntryStat | null | undefined {
    const i = this.index.get(path);
    if (i === undefined) return undefined;
    this.index.delete(path);
    return entryAt(this.stats, i * STAT_FIELDS);
  }
}

function entryAt(stats: Float64Array, at: number): EntryStat | null {
  const type = stats[at];
  if (type === StatType.Missing) return null;
  return {
    type: type === StatType.File ? 'file' : type === StatType.Folder ? 'folder' : 'other',
    size: stats[at + 1]!,
    mode: stats[at + 2]!,
    ino: stats[at + 3]!,
    mtimeMs: stats[at + 4]!,
    ctimeMs: stats[at + 5]!,
    gid: stats[at + 6]!,
  };
}
