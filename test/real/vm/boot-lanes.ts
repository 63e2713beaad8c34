/**
 * The VM boots of the suite share this machine's two cores: each TCG guest mostly keeps one busy, so
 * two boots at a time finish the lot in little more than half the serial time. vitest runs test
 * files one after the other here (one worker on two cores), so the boots of every suite are
 * gathered in first-boots.test.ts and scheduled together.
 */

/** One boot a suite wants, prepared up to the point of starting qemu. */
export interface BootTask {
  readonly label: string;
  /** Rough length in seconds, to start the longest first. */
  readonly seconds: number;
  readonly run: () => Promise<void>;
}

/** A suite of VM tests: registers its describe blocks when created, boots when asked. */
export interface BootSuite {
  /** Builds what the boots need (fixtures, servers) and returns the boots. */
  prepare(): Promise<BootTask[]>;
  /** Stops servers and removes scratch files. */
  close(): Promise<void>;
}

/** Runs the tasks two at a time, longest first; a failed boot rejects once the others have ended. */
export async function runInTwoLanes(tasks: readonly BootTask[]): Promise<void> {
  const queue = [...tasks].sort((a, b) => b.seconds - a.seconds);
  const failures: unknown[] = [];
  const lane = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      try {
        await task.run();
      } catch (error) {
        failures.push(new Error(`boot ${task.label}: ${String(error)}`, { cause: error }));
      }
    }
  };
  await Promise.all([lane(), lane()]);
  if (failures.length) throw failures[0];
}
