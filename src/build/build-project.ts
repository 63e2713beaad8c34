/**
 * The whole build as a library call: load → plan/render every node → emit. The CLI's `build`
 * command is a thin shell over this.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { acknowledgementsOf, applyAcknowledgements } from '../diagnostics/acknowledge.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { resolve as resolvePath } from 'node:path';
import { loadProject } from './load-project.ts';
import type { ParsedDocument } from '../parse/parse-document.ts';
import { clusterNameProblem } from '../validate/names.ts';
import { buildNode, type NodeBuild } from './build-node.ts';
import { OutputWriter, type EmitResult, type OutputFile } from '../emit/write-output.ts';
import { nodeOutcome, type NodeOutcome, type NodeSummary, type StagedOutcome } from './node-outcome.ts';
import { pxeEntries, renderClusterPxe } from '../render/pxe/index.ts';
import { chosenBootLoaders } from '../render/pxe/boot-loaders.ts';
import { renderDhcp } from '../render/dhcp/index.ts';
import { renderFlannelMonitoring } from '../render/cluster/monitoring.ts';
import type { Project } from '../resolve/project-model.ts';
import { BuildContext } from './build-context.ts';
import { InputDigests } from './input-digest.ts';
import { codeIdentity } from './code-identity.ts';
import type { NodeInputs } from '../emit/disk-state.ts';
import { outputAccessOf, type OutputAccess } from '../delivery/output-layout.ts';

export interface BuildOptions {
  readonly outDir: string;
  readonly nodes?: readonly string[];
  readonly strict?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for another build writing the same output folder (default 60 s; 0: fail at once). */
  readonly lockWaitSeconds?: number;
}

export interface BuildResult {
  readonly ok: boolean;
  readonly project?: Project;
  /** Every node built, with its files (names only): enough to report on. */
  readonly nodes: readonly NodeSummary[];
  /** Plans and rendered artifacts, kept only with `keepBuilds` (a fleet's would fill memory). */
  readonly builds: readonly NodeBuild[];
  readonly emit?: EmitResult;
  readonly diagnostics: Diagnostic[];
  /** Nodes kept from the previous build without being built again (their inputs had not changed). */
  readonly reusedNodes?: number;
}

/** Plans and renders every node of a loaded project (pure). */
export function compileProject(project: Project, context = new BuildContext()): { builds: NodeBuild[]; diagnostics: Diagnostic[] } {
  const builds: NodeBuild[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const node of project.nodes) {
    const result = buildNode(project, node, context);
    diagnostics.push(...result.diagnostics);
    if (result.build) builds.push(result.build);
  }
  return { builds, diagnostics: uniqueDiagnostics(diagnostics) };
}

/** Files that belong to the cluster rather than to one node: PXE's and flannel monitoring's. */
export function clusterFiles(project: Project): OutputFile[] {
  return [...pxeClusterFiles(project), ...renderFlannelMonitoring(project).map((file) => ({ ...file, mode: 0o644, kind: 'monitoring' }))];
}

/** The iPXE entry script and the DHCP snippets that lead to it, when some node has a PXE entry. */
function pxeClusterFiles(project: Project): OutputFile[] {
  const { cluster, nodes } = project;
  if (cluster.publishURL === undefined) return [];
  const { loaders } = chosenBootLoaders(cluster, cluster.publishURL);
  if (!nodes.some((n) => pxeEntries(n, loaders).length)) return [];
  return [
    ...renderClusterPxe(cluster, nodes).map((file) => ({ ...file, mode: 0o644, kind: file.path.startsWith('pxe/grub/') ? 'grub' : file.path.startsWith('pxe/pxelinux.cfg/') ? 'pxelinux' : 'ipxe' })),
    ...renderDhcp(cluster, cluster.publishURL, loaders).map((file) => ({ ...file, mode: 0o644, kind: 'dhcp' as const })),
  ];
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

/** What a node's record keeps of its build, to report the same when it is reused (NodeRecord.report). */
interface NodeReport {
  readonly summary: NodeSummary;
  readonly diagnostics: Diagnostic[];
}

function isNodeReport(value: unknown): value is NodeReport {
  const report = value as Partial<NodeReport> | null;
  return (
    typeof report === 'object' &&
    report !== null &&
    Array.isArray(report.diagnostics) &&
    typeof report.summary?.name === 'string' &&
    typeof report.summary.os === 'string' &&
    Array.isArray(report.summary.artifacts)
  );
}

/**
 * Collects node outcomes in any order and streams their files to the writer, so memory stays flat
 * for a fleet; nothing reaches out/<cluster>/ unless every node built (the writer stages, then
 * swaps). Results are reported in the project's node order whatever order they arrived in.
 */
export class BuildSession {
  private readonly summaries: (NodeSummary | undefined)[];
  private readonly nodeDiagnostics: Diagnostic[][];
  private readonly builds: (NodeBuild | undefined)[];
  private failed: boolean;
  private writeError: unknown;
  /** What this build remembers between its nodes: every node of the session is built with it. */
  readonly context = new BuildContext();
  /** The absolute path of out/<cluster>/ (the manifest's VM arguments name it). */
  private readonly root: string;
  /** Who may read the output (delivery.serveGroup). */
  readonly access: OutputAccess;
  /** Each node's input digest (input-digest.ts), all taken before any node is built. */
  private readonly digests: readonly string[];
  private reusedNodes = 0;

  constructor(
    readonly project: Project,
    private readonly writer: OutputWriter,
    private readonly diagnostics: Diagnostic[],
    private readonly strict: boolean,
  ) {
    const n = project.nodes.length;
    this.summaries = new Array<NodeSummary | undefined>(n);
    this.nodeDiagnostics = new Array<Diagnostic[]>(n);
    this.builds = new Array<NodeBuild | undefined>(n);
    this.failed = hasErrors(diagnostics, strict);
    this.root = resolvePath(writer.clusterDir);
    this.access = outputAccessOf(project.cluster.serveGroup);
    writer.grantAccess(this.access);
    const digests = new InputDigests(project, codeIdentity(), this.root);
    this.digests = project.nodes.map((node) => digests.of(node));
  }

  /**
   * Keeps the node at `index` as the previous build left it when its inputs are unchanged and its
   * files still on disk as written; false when it has to be built.
   */
  reuse(index: number): boolean {
    const name = this.project.nodes[index]!.name;
    const record = this.writer.previousRecord(name);
    if (record === undefined || record.digest !== this.digests[index] || !isNodeReport(record.report)) return false;
    if (!this.writer.reuseNode(name, record)) return false;
    this.summaries[index] = record.report.summary;
    this.nodeDiagnostics[index] = record.report.diagnostics;
    this.reusedNodes++;
    return true;
  }

  /** What the next build needs to know of a node built now, to reuse it. */
  inputsOf(index: number, outcome: { readonly diagnostics: Diagnostic[]; readonly built: { readonly summary: NodeSummary } }): NodeInputs {
    const report: NodeReport = { summary: outcome.built.summary, diagnostics: outcome.diagnostics };
    return { digest: this.digests[index]!, report };
  }

  accept(index: number, outcome: NodeOutcome): void {
    this.nodeDiagnostics[index] = outcome.diagnostics;
    if (outcome.build) this.builds[index] = outcome.build;
    if (!outcome.built) {
      this.failed = true;
      return;
    }
    this.summaries[index] = outcome.built.summary;
    // After the first failure nothing more is written; the rest are still built to report every problem.
    if (this.failed || this.writeError !== undefined) return;
    try {
      this.writer.addNode(outcome.built.manifest, outcome.built.files, this.inputsOf(index, { diagnostics: outcome.diagnostics, built: outcome.built }));
    } catch (error) {
      this.writeError = error;
    }
  }

  /** Hands lstat() answers gathered while the project loaded to the writer (parallel/prefetch-stats.ts). */
  async prefetched(prefetch: { applyTo(writer: OutputWriter): Promise<void> }): Promise<void> {
    await prefetch.applyTo(this.writer);
  }

  /** The staging folder when threads may write nodes' files themselves (see OutputWriter.directStaging). */
  directStaging(): string | undefined {
    return this.failed ? undefined : this.writer.directStaging();
  }

  /** A node another thread rendered and wrote into directStaging(); `inputs` from inputsOf(). */
  acceptStaged(index: number, outcome: StagedOutcome, inputs?: NodeInputs): void {
    this.nodeDiagnostics[index] = outcome.diagnostics;
    if (!outcome.built) {
      this.failed = true;
      return;
    }
    this.summaries[index] = outcome.built.summary;
    this.writer.addStagedNode(outcome.built.manifest, outcome.built.entries, inputs);
  }

  /** A write that failed on another thread: the build fails with emit/write-failed. */
  writeFailed(error: unknown): void {
    this.writeError ??= error;
  }

  /** Plans, renders and packs the node at `index` with this build's context. */
  outcomeOf(index: number, keepBuild = false): NodeOutcome {
    return nodeOutcome(this.project, this.project.nodes[index]!, { strict: this.strict, root: this.root, access: this.access, keepBuild, context: this.context });
  }

  /** Builds every node on the calling thread, in order; a node whose inputs did not change is reused instead (unless its build is to be kept). */
  buildAllHere(keepBuilds = false): void {
    this.project.nodes.forEach((node, index) => {
      if (!keepBuilds && !this.failed && this.reuse(index)) return;
      this.accept(index, this.outcomeOf(index, keepBuilds));
    });
  }

  /** Drops whatever was staged (an unexpected failure while building). */
  abort(): void {
    this.writer.abort();
  }

  finish(): BuildResult {
    const { project, writer, diagnostics, strict } = this;
    const nodes = this.summaries.filter((s): s is NodeSummary => s !== undefined);
    const builds = this.builds.filter((b): b is NodeBuild => b !== undefined);
    diagnostics.push(...uniqueDiagnostics(this.nodeDiagnostics.flatMap((d) => d ?? [])));
    if (this.writeError !== undefined) {
      writer.abort();
      diagnostics.push(writer.failure(this.writeError));
      return { ok: false, project, nodes, builds, diagnostics };
    }
    if (this.failed || hasErrors(diagnostics, strict)) {
      writer.abort();
      return { ok: false, project, nodes, builds, diagnostics };
    }
    for (const file of clusterFiles(project)) writer.addFile(file);
    const emit = writer.commit();
    diagnostics.push(...emit.diagnostics);
    applyAcknowledgements(diagnostics, acknowledgementsOf(project.cluster.acknowledge));
    return { ok: !hasErrors(diagnostics, strict), project, nodes, builds, emit, diagnostics, reusedNodes: this.reusedNodes };
  }
}

/** What a caller may do while the build loads. */
export interface StartHooks {
  /**
   * Called with the output, opened (and locked) as soon as the profiles are parsed, so that work on
   * the previous output can run beside validation. Only when the parsed profiles name a valid
   * cluster and the output can be opened at once; the build opens it after loading otherwise.
   */
  readonly outputOpened?: (writer: OutputWriter) => void;
}

/** Loads the project and opens the writer; a result instead when loading already failed. */
export function startBuild(dir: string, options: BuildOptions, hooks: StartHooks = {}): BuildSession | BuildResult {
  const strict = options.strict ?? false;
  const open = (cluster: string, lockWaitSeconds = options.lockWaitSeconds): OutputWriter | Diagnostic[] =>
    OutputWriter.open({
      outDir: options.outDir,
      cluster,
      partial: Boolean(options.nodes?.length),
      projectDir: dir,
      ...(lockWaitSeconds !== undefined ? { lockWaitSeconds } : {}),
    });
  let early: OutputWriter | undefined;
  const afterParse = (documents: readonly ParsedDocument[]): void => {
    const cluster = clusterNameOf(documents);
    // Without waiting: a busy output is waited for after loading, so bad profiles are reported at once.
    const writer = cluster === undefined ? undefined : open(cluster, 0);
    if (writer === undefined || Array.isArray(writer)) return;
    early = writer;
    hooks.outputOpened!(writer);
  };
  const loaded = loadProject(dir, {
    ...(options.nodes ? { nodes: options.nodes } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(hooks.outputOpened ? { afterParse } : {}),
  });
  const diagnostics = [...loaded.diagnostics];
  if (!loaded.project || hasErrors(diagnostics, strict)) {
    early?.abort();
    return { ok: false, nodes: [], builds: [], diagnostics };
  }
  const project = loaded.project;
  if (early !== undefined && early.cluster !== project.cluster.name) {
    early.abort();
    early = undefined;
  }
  const writer = early ?? open(project.cluster.name);
  if (Array.isArray(writer)) return { ok: false, project, nodes: [], builds: [], diagnostics: [...diagnostics, ...writer] };
  return new BuildSession(project, writer, diagnostics, strict);
}

/** The name of the one Cluster document, before validation; undefined unless it is one a build may use. */
function clusterNameOf(documents: readonly ParsedDocument[]): string | undefined {
  const clusters = documents.filter((d) => (d.value as { kind?: unknown } | null)?.kind === 'Cluster');
  const name = clusters.length === 1 ? (clusters[0]!.value as { name?: unknown }).name : undefined;
  return typeof name === 'string' && clusterNameProblem(name) === undefined ? name : undefined;
}

/**
 * The build on the calling thread, node by node. `builds` in the result holds the node plans and
 * artifacts only when `keepBuilds` is set. `kindling build` uses buildProjectInParallel, which
 * gives the same output.
 */
export function buildProject(dir: string, options: BuildOptions & { keepBuilds?: boolean }): BuildResult {
  const session = startBuild(dir, options);
  if (!(session instanceof BuildSession)) return session;
  try {
    session.buildAllHere(options.keepBuilds === true);
  } catch (error) {
    session.abort();
    throw error;
  }
  return session.finish();
}
