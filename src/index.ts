/**
 * kindling's public API. The CLI is a thin shell over these calls.
 *
 *   loadProject(dir)      parse → validate → resolve (reads profiles, secrets, templates, lock file)
 *   compileProject(p)     plan → render for every node (pure)
 *   buildNode(p, node)    plan → render for one node (pure)
 *   buildProject(dir, o)  all of it, then emit out/<cluster>/ atomically
 *   buildProjectInParallel(dir, o)  the same output, spread over threads (`kindling build`)
 *   loadLockRequest(dir) → runLockRequest(r, o)  pin every download in kindling.lock (`kindling lock`)
 *   diffProject(dir, o)   what a build would change in out/<cluster>/, writing nothing (`kindling diff`)
 *   flannelRbacManifest(dir)  the Namespace, RBAC, ServiceAccount and token Secret flanneld needs (`kindling rbac`)
 *   assembleKubeconfig(files)  flanneld's kubeconfig from a server URL, CA and credential files (`kindling kubeconfig`)
 *   serveOutput(o)        an output and its boot assets over read-only HTTP, for labs and tests (`kindling serve`)
 */
export { loadProject, loadProfile, parseProject, type LoadOptions, type LoadResult } from './build/load-project.ts';
export { buildProject, compileProject, type BuildOptions, type BuildResult } from './build/build-project.ts';
export { buildProjectInParallel, type ParallelOptions } from './build/parallel/build-in-parallel.ts';
export { buildNode, type NodeArtifact, type NodeBuild, type ArtifactKind } from './build/build-node.ts';
export { BuildContext } from './build/build-context.ts';
export { planNode } from './plan/plan-node.ts';
export type { NodePlan, PlannedFile, PlannedUnit, PlannedDirectory, PlannedUser } from './plan/node-plan.ts';
export type { Project, ResolvedNode, ResolvedCluster, Download } from './resolve/project-model.ts';
export { emitOutput, type EmitOptions, type EmitResult } from './emit/write-output.ts';
export { translateButane, formatButaneReport, type ButaneOptions, type ButaneResult } from './butane/index.ts';
export {
  loadLockRequest,
  runLockRequest,
  lockfilePathFor,
  type LockRequest,
  type LockRequestOptions,
  type RunLockOptions,
  type LockStatus,
  type LockRunResult,
} from './lock/run-lock.ts';
export type { LockMode, LockEvent } from './lock/lock-artifacts.ts';
export {
  assembleKubeconfig,
  type KubeconfigFiles,
  type KubeconfigCredentialSource,
  type AssembledKubeconfig,
} from './cluster/flanneld-kubeconfig.ts';
export { diffProject, type DiffProjectOptions, type ProjectDiff } from './delivery/diff-project.ts';
export type { FileDiff, FileChange } from './emit/diff.ts';
export { flannelRbacManifest, type FlannelRbacManifest } from './cluster/flannel-rbac.ts';
export { writeSecretFile, type SecretWrite } from './cluster/write-secret-file.ts';
export type { Diagnostic, Severity, SourceLocation } from './diagnostics/diagnostic.ts';
export { hasErrors } from './diagnostics/diagnostic.ts';
export { CODES, type DiagnosticCode } from './diagnostics/codes.ts';
export { formatDiagnosticsText, diagnosticsJson } from './diagnostics/format.ts';
export { serveOutput, type ServeOptions, type RunningServer } from './serve/serve-output.ts';
export type { ServedOutput, ServedOutputOptions } from './serve/served-output.ts';
export { ServeError } from './serve/serve-error.ts';
export { parseListenAddress, DEFAULT_LISTEN, type ListenAddress } from './serve/listen-address.ts';
