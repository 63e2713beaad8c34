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
  const nodes: { name: string; os: string; artifacts: string[] }[] = [];
  const strict = options.strict ?? false;
  const loaded = loadProject(dir, { ...(options.nodes ? { nodes: options.nodes } : {}), ...(options.env ? { env: options.env } : {}) });
  const diagnostics = [...loaded.diagnostics];
  if (!loaded.project || hasErrors(diagnostics, strict)) return { ok: false, nodes, builds: [], diagnostics };
  const project = loaded.project;
  const writer = new OutputWriter({ outDir: options.outDir, cluster: project.cluster.name, partial: Boolean(options.nodes?.length) });
  const builds: NodeBuild[] = [];
  const nodeDiagnostics: Diagnostic[] = [];
  let failed = hasErrors(diagnostics, strict);
  try {
    for (const node of project.nodes) {
      const result = buildNode(project, node);
      nodeDiagnostics.push(...result.diagnostics);
      if (!result.build || hasErrors(result.diagnostics, strict)) {
        failed = true;
        continue;
      }
      nodes.push({ name: node.name, os: node.os, artifacts: result.build.artifacts.map((a) => a.name) });
      if (options.keepBuilds === true) builds.push(result.build);
      // After the first failure nothing more is written; the rest are still built to report every problem.
      if (!failed) writer.addNode(manifestNode(result.build), nodeOutputFiles(result.build));
    }
  } catch (error) {
    writer.abort();
    diagnostics.push(...uniqueDiagnostics(nodeDiagnostics), writer.failure(error));
    return { ok: false, project, nodes, builds, diagnostics };
  }
  diagnostics.push(...uniqueDiagnostics(nodeDiagnostics));
  if (failed || hasErrors(diagnostics, strict)) {
    writer.abort();
    return { ok: false, project, nodes, builds, diagnostics };
  }
  for (const file of clusterFiles(project)) writer.addFile(file);
  const emit = writer.commit();
  diagnostics.push(...emit.diagnostics);
  return { ok: !hasErrors(diagnostics, strict), project, nodes, builds, emit, diagnostics };
}
