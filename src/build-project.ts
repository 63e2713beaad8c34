/**
 * The whole build as a library call: load → plan/render every node → emit. The CLI's `build`
 * command is a thin shell over this.
 */
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { hasErrors } from './diagnostics/diagnostic.ts';
import { loadProject } from './load-project.ts';
import { buildNode, type NodeBuild } from './build-node.ts';
import { emitOutput, type EmitResult } from './emit/write-output.ts';
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

export function buildProject(dir: string, options: BuildOptions): BuildResult {
  const strict = options.strict ?? false;
  const loaded = loadProject(dir, { ...(options.nodes ? { nodes: options.nodes } : {}), ...(options.env ? { env: options.env } : {}) });
  const diagnostics = [...loaded.diagnostics];
  if (!loaded.project || hasErrors(diagnostics, strict)) return { ok: false, builds: [], diagnostics };
  const project = loaded.project;
  const compiled = compileProject(project);
  diagnostics.push(...compiled.diagnostics);
  if (hasErrors(diagnostics, strict)) return { ok: false, project, builds: compiled.builds, diagnostics };
  const emit = emitOutput({ outDir: options.outDir, cluster: project.cluster.name, builds: compiled.builds, partial: Boolean(options.nodes?.length) });
  diagnostics.push(...emit.diagnostics);
  return { ok: !hasErrors(diagnostics, strict), project, builds: compiled.builds, emit, diagnostics };
}
