/** Builds a profile project into a temporary out/ through the library, for tests that inspect outputs. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { buildProject, type BuildResult } from '../../src/build/build-project.ts';
import { EXAMPLE, tempDir } from './project.ts';

export interface BuiltExample extends BuildResult {
  readonly outDir: string;
  readonly clusterDir: string;
}

export function buildExample(dir = EXAMPLE, outDir = join(tempDir(), 'out')): BuiltExample {
  const result = buildProject(dir, { outDir, env: {}, keepBuilds: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  return { ...result, outDir, clusterDir: join(outDir, result.project!.cluster.name) };
}
