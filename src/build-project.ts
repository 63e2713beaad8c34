/**
 * The whole build as a library call: load → plan/render every node → emit. The CLI's `build`
 * command is a thin shell over this.
 */
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { hasErrors } from './diagnostics/diagnostic.ts';
import { loadProject } from './load-project.ts';
import { buildNode, type NodeBuild } from './build-node.ts';
import { OutputWriter, manifestNode, nodeOutputFiles, type EmitResult, type OutputFile } from './emit/write-output.ts';
import { bootScript } from './render/pxe/ipxe.ts';
import { availableParallelism } from 'node:os';
import { compileInWorkers } from './compile-workers.ts';
import type { Project } from './resolve/project-model.ts';

export interface BuildOptions {
  readonly outDir: string;
  readonly nodes?: readonly string[];
  readonly strict?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface BuildResult {
  readonly ok: boolean;
  readonly project?: Project;
  /** Every node built, with its files (names only): enough to report on. */
  readonly nodes: readonly { readonly name: string; readonly os: string; readonly artifacts: readonly string[] }[];
  /** Plans and rendered artifacts, kept only with `keepBuilds` (a fleet's would fill memory). */
  readonly builds: readonly NodeBuild[];
  readonly emit?: EmitResult;
  readonly diagnostics: Diagnostic[];
}

/** Plans and renders every node of a loaded project (pure). */
export function compileProject(project: Project): { builds: NodeBuild[]; diagnostics: Diagnostic[] } {
  const builds: NodeBuild[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const node of project.nodes) {
    const result = buildNode(project, node);
    diagnostics.push(...result.diagnostics);
    if (result.build) builds.push(result.build);
  }
  return { builds, diagnostics: uniqueDiagnostics(diagnostics) };
}

/** Files that belong to the cluster rather than to one node: the iPXE entry script. */
export function clusterFiles(project: Project): OutputFile[] {
  if (project.cluster.publishURL === undefined || !project.nodes.some((n) => n.macs.length)) return [];
  return [{ path: 'pxe/boot.ipxe', data: bootScript(project.cluster.name), mode: 0o644, kind: 'ipxe' }];
}

/** A role's mistake shows up once per node that uses the role; report it once. */
function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.severity}|${d.message}|${d.location?.file}:${d.location?.line}:${d.location?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Builds node by node and streams each node's files to the writer, so memory stays flat for a
 * fleet; nothing reaches out/<cluster>/ unless every node built (the writer stages, then swaps).
 * `builds` in the result holds the node plans and artifacts only when `keepBuilds` is set.
 */
export function buildProject(dir: string, options: BuildOptions & { keepBuilds?: boolean }): BuildResult {
  const loaded = loadProject(dir, { ...(options.nodes ? { nodes: options.nodes } : {}), ...(options.env ? { env: options.env } : {}) });
  const session = new BuildSession(loaded, options);
  if (!session.project) return session.finish();
  for (const node of session.project.nodes) session.accept(buildNode(session.project, node));
  return session.finish();
}

/**
 * The same build with plan → render → pack spread over worker threads (one per core, for fleets
 * of at least `minNodesForWorkers` nodes): the main thread hashes and writes what they send back.
 * Output is identical to buildProject's; node order does not matter to the writer.
 */
export async function buildProjectParallel(dir: string, options: BuildOptions & { workers?: number; minNodesForWorkers?: number }): Promise<BuildResult> {
  const loaded = loadProject(dir, { ...(options.nodes ? { nodes: options.nodes } : {}), ...(options.env ? { env: options.env } : {}) });
  const session = new BuildSession(loaded, options);
  const project = session.project;
  if (!project) return session.finish();
  const workers = Math.min(options.workers ?? availableParallelism(), 8);
  if (workers < 2 || project.nodes.length < (options.minNodesForWorkers ?? 1000)) {
    for (const node of project.nodes) session.accept(buildNode(project, node));
    return session.finish();
  }
  await compileInWorkers(project, workers, (index, result) =>
    session.accept({ diagnostics: result.diagnostics, ...(result.build ? { build: { ...result.build, node: project.nodes[index]! } } : {}) }),
  );
  return session.finish();
}

/** One build's bookkeeping: diagnostics, the streaming writer, and the result. */
class BuildSession {
  readonly project: Project | undefined;
  private readonly strict: boolean;
  private readonly diagnostics: Diagnostic[];
  private readonly nodeDiagnostics: Diagnostic[] = [];
  private readonly nodes: { name: string; os: string; artifacts: string[] }[] = [];
  private readonly builds: NodeBuild[] = [];
  private readonly writer: OutputWriter | undefined;
  private failed: boolean;
  private ioError: unknown;

  constructor(
    loaded: { project?: Project; diagnostics: Diagnostic[] },
    private readonly options: BuildOptions & { keepBuilds?: boolean },
  ) {
    this.strict = options.strict ?? false;
    this.diagnostics = [...loaded.diagnostics];
    this.failed = hasErrors(this.diagnostics, this.strict);
    this.project = loaded.project && !this.failed ? loaded.project : undefined;
    if (this.project) this.writer = new OutputWriter({ outDir: options.outDir, cluster: this.project.cluster.name, partial: Boolean(options.nodes?.length) });
  }

  accept(result: { build?: NodeBuild; diagnostics: Diagnostic[] }): void {
    this.nodeDiagnostics.push(...result.diagnostics);
    if (!result.build || hasErrors(result.diagnostics, this.strict)) {
      this.failed = true;
      return;
    }
    const build = result.build;
    this.nodes.push({ name: build.node.name, os: build.node.os, artifacts: build.artifacts.map((a) => a.name) });
    if (this.options.keepBuilds === true) this.builds.push(build);
    // After the first failure nothing more is written; the rest are still built to report every problem.
    if (this.failed || this.ioError !== undefined) return;
    try {
      this.writer!.addNode(manifestNode(build), nodeOutputFiles(build));
    } catch (error) {
      this.ioError = error;
    }
  }

  finish(): BuildResult {
    const { project, nodes, builds, diagnostics } = this;
    if (!project || !this.writer) return { ok: false, ...(this.project ? { project } : {}), nodes, builds, diagnostics };
    diagnostics.push(...uniqueDiagnostics(this.nodeDiagnostics));
    if (this.ioError !== undefined) {
      this.writer.abort();
      diagnostics.push(this.writer.failure(this.ioError));
      return { ok: false, project, nodes, builds, diagnostics };
    }
    if (this.failed || hasErrors(diagnostics, this.strict)) {
      this.writer.abort();
      return { ok: false, project, nodes, builds, diagnostics };
    }
    for (const file of clusterFiles(project)) this.writer.addFile(file);
    const emit = this.writer.commit();
    diagnostics.push(...emit.diagnostics);
    return { ok: !hasErrors(diagnostics, this.strict), project, nodes, builds, emit, diagnostics };
  }
}

