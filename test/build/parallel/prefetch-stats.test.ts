/**
 * A rebuild that lstat()s the previous output on a second thread while the profiles load must decide
 * exactly what a rebuild that asks the disk itself decides: the worker's answers are matched to
 * their entries by position, so a slip would take one file's stat for another's and keep a
 * tampered file (or rebuild an intact one).
 */
import { chmodSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { outputTree } from '../../helpers/output-tree.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProject, type BuildResult } from '../../../src/build/build-project.ts';
import { buildProjectInParallel } from '../../../src/build/parallel/build-in-parallel.ts';
import { fleet } from '../../helpers/fleet.ts';
import { tempDir } from '../../helpers/project.ts';


/** Prefetching on any project size; the write worker stays off so that only the stat worker differs. */
const PREFETCH = { jobs: 2, minEntriesForPrefetch: 1, minNodesForWorkers: 1_000_000 };

function editInPlace(file: string): void {
  const { atime, mtime, size } = statSync(file);
  writeFileSync(file, 'x'.repeat(size));
  utimesSync(file, atime, mtime);
}

/** Ways to damage one node's output after a build, each of which the next build must repair. */
const damages: { name: string; damage: (lab: string) => void; reused: number }[] = [
  { name: 'nothing', damage: () => {}, reused: 15 },
  { name: 'a file edited in place, size and mtime kept', damage: (lab) => editInPlace(join(lab, 'nodes/fleet-7/config.ign')), reused: 14 },
  { name: 'a deleted file', damage: (lab) => rmSync(join(lab, 'nodes/fleet-3/user-data')), reused: 14 },
  { name: 'a file made readable by all', damage: (lab) => chmodSync(join(lab, 'nodes/fleet-11/config.ign'), 0o644), reused: 14 },
  { name: 'a node folder made readable by all', damage: (lab) => chmodSync(join(lab, 'nodes/fleet-5'), 0o755), reused: 14 },
  // The manifest is not the text the record vouches for: none of its entries is trusted, every node is built.
  { name: 'the manifest edited', damage: (lab) => writeFileSync(join(lab, 'manifest.json'), `${readFileSync(join(lab, 'manifest.json'), 'utf8')} `), reused: 0 },
];

describe('a rebuild with the previous output lstat()ed on a second thread', () => {
  for (const { name, damage, reused } of damages) {
    it(`after ${name}, writes what a rebuild that asks the disk itself writes`, async () => {
      const project = fleet(12);
      const withWorker = join(tempDir(), 'out');
      const alone = join(tempDir(), 'out');
      const first = buildProject(project, { outDir: withWorker, env: {} });
      expect(first.ok).toBe(true);
      expect(buildProject(project, { outDir: alone, env: {} }).ok).toBe(true);
      const expected = outputTree(join(withWorker, 'lab'));
      damage(join(withWorker, 'lab'));
      damage(join(alone, 'lab'));
      const prefetched: BuildResult = await buildProjectInParallel(project, { outDir: withWorker, env: {}, ...PREFETCH });
      const asked = buildProject(project, { outDir: alone, env: {} });
      expect(prefetched.ok).toBe(true);
      expect(prefetched.reusedNodes).toBe(reused);
      expect(asked.reusedNodes).toBe(reused);
      expect(prefetched.emit?.changed).toBe(asked.emit?.changed);
      expect(outputTree(join(withWorker, 'lab'))).toEqual(expected);
      expect(outputTree(join(alone, 'lab'))).toEqual(expected);
    });
  }
});
