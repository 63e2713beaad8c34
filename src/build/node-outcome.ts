/**
 * One node, from resolved settings to the files the writer stages: what the build needs of
 * buildNode() and nothing more, so that it can travel between threads (plain data, bytes, no plan).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { Project, ResolvedNode } from '../resolve/project-model.ts';
import { buildNode, type NodeBuild } from './build-node.ts';
import { BuildContext } from './build-context.ts';
import type { OutputFile, StagedEntry } from '../emit/write-output.ts';
import { manifestNode, nodeOutputFiles, type OutputAccess } from '../delivery/output-layout.ts';
import { nodeFolder } from '../delivery/node-folder.ts';
import type { ManifestNode } from '../emit/manifest.ts';

export interface NodeSummary {
  readonly name: string;
  readonly os: string;
  /** The node's files, relative to out/<cluster>/ (its folder's and its PXE entries). */
  readonly artifacts: string[];
}

export interface NodeOutcome {
  readonly diagnostics: Diagnostic[];
  /** Present when the node built without errors (warnings count under `strict`). */
  readonly built?: {
    readonly summary: NodeSummary;
    readonly manifest: ManifestNode;
    readonly files: OutputFile[];
  };
  /** The full build (plan included), only when the caller asked to keep it. */
  readonly build?: NodeBuild;
}

export interface OutcomeOptions {
  readonly strict: boolean;
  /** The absolute path of out/<cluster>/, which the manifest's VM arguments name. */
  readonly root: string;
  /** Who may read the output (the files' modes follow from it). */
  readonly access: OutputAccess;
  /** Keep the plan and artifacts (NodeOutcome.build). */
  readonly keepBuild?: boolean;
  /** The build's context; a fresh one builds the node alone, with the same result. */
  readonly context?: BuildContext;
}

export function nodeOutcome(project: Project, node: ResolvedNode, { strict, root, access, keepBuild = false, context = new BuildContext() }: OutcomeOptions): NodeOutcome {
  const result = buildNode(project, node, context);
  if (!result.build || hasErrors(result.diagnostics, strict)) return { diagnostics: result.diagnostics };
  const build = result.build;
  return {
    diagnostics: result.diagnostics,
    built: {
      summary: { name: node.name, os: node.os, artifacts: build.artifacts.map((a) => a.path ?? `${nodeFolder(node.name)}/${a.name}`) },
      manifest: manifestNode(build, root),
      files: nodeOutputFiles(build, access),
    },
    ...(keepBuild ? { build } : {}),
  };
}

/** A node whose files are already in the staging folder: what the manifest needs of them. */
export interface StagedOutcome {
  readonly diagnostics: Diagnostic[];
  readonly built?: {
    readonly summary: NodeSummary;
    readonly manifest: ManifestNode;
    readonly entries: StagedEntry[];
  };
}
