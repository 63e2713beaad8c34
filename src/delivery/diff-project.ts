/**
 * What a build of a profile directory would change in <outDir>/<cluster>/, per file, without
 * writing anything: the project is compiled in memory and compared, as a reviewer reads it, with
 * what is on disk (emit/diff.ts decodes payloads and masks secrets).
 */
import { join } from 'node:path';
import { clusterFiles, compileProject } from '../build/build-project.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { diffTrees } from '../emit/diff.ts';
import type { FileDiff } from '../emit/diff.ts';
import { readTree } from '../emit/output-tree.ts';
import { desiredTree } from '../emit/write-output.ts';
import { loadProject } from '../build/load-project.ts';

export interface DiffProjectOptions {
  /** The output directory a build would write to (its <cluster>/ folder is compared). */
  readonly outDir: string;
  /** Warnings count as errors: no diff is made when there are any. */
  readonly strict?: boolean;
}

export interface ProjectDiff {
  /** One entry per file a build would add, remove or change; absent when the project has errors. */
  readonly files?: readonly FileDiff[];
  /** The folder compared with, <outDir>/<cluster>; absent when the project has errors. */
  readonly clusterDir?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles the project in `dir` and compares the result with its output folder under `outDir`. */
export function diffProject(dir: string, options: DiffProjectOptions): ProjectDiff {
  const strict = options.strict === true;
  const loaded = loadProject(dir);
  const diagnostics = [...loaded.diagnostics];
  const compiled = loaded.project && !hasErrors(diagnostics, strict) ? compileProject(loaded.project) : undefined;
  if (compiled) diagnostics.push(...compiled.diagnostics);
  if (!loaded.project || !compiled || hasErrors(diagnostics, strict)) return { diagnostics };
  const cluster = loaded.project.cluster.name;
  const clusterDir = join(options.outDir, cluster);
  const current = new Map([...readTree(clusterDir)].map(([path, file]) => [path, file.data]));
  const files = diffTrees(current, desiredTree(clusterDir, cluster, compiled.builds, clusterFiles(loaded.project)));
  return { files, clusterDir, diagnostics };
}
