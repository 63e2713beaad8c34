/**
 * One node, from resolved settings to the files the writer stages: what the build needs of
 * buildNode() and nothing more, so that it can travel between threads (plain data, bytes, no plan).
 */
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { hasErrors } from './diagnostics/diagnostic.ts';
import type { Project, ResolvedNode } from './resolve/project-model.ts';
import { buildNode, type NodeBuild } from './build-node.ts';
import { BuildContext } from './build-context.ts';
import { fileBytes, fileSha256, manifestNode, nodeOutputFiles, stageFile, type OutputFile, type StagingFiles } from './emit/write-output.ts';
import type { ManifestArtifact, ManifestNode } from './emit/manifest.ts';

export interface NodeSummary {
  readonly name: string;
  readonly os: string;
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

export function nodeOutcome(project: Project, node: ResolvedNode, strict: boolean, keepBuild = false, context = new BuildContext()): NodeOutcome {
  const result = buildNode(project, node, context);
  if (!result.build || hasErrors(result.diagnostics, strict)) return { diagnostics: result.diagnostics };
  const build = result.build;
  return {
    diagnostics: result.diagnostics,
    built: {
      summary: { name: node.name, os: node.os, artifacts: build.artifacts.map((a) => a.name) },
      manifest: manifestNode(build),
      files: nodeOutputFiles(build),
    },
    ...(keepBuild ? { build } : {}),
  };
}

/**
 * The files as bytes with their SHA-256, the form a worker thread hands back: the thread that
 * rendered them also encodes and hashes them, leaving the writing thread only the writes.
 */
export function encodedFiles(files: readonly OutputFile[]): OutputFile[] {
  return files.map((file) => {
    const bytes = fileBytes(file);
    const { bytes: _encoded, ...rest } = file;
    return { ...rest, data: bytes, sha256: file.sha256 ?? fileSha256(bytes) };
  });
}

/** A node whose files are already in the staging folder: what the manifest needs of them. */
export interface StagedOutcome {
  readonly diagnostics: Diagnostic[];
  readonly built?: {
    readonly summary: NodeSummary;
    readonly manifest: ManifestNode;
    readonly entries: Omit<ManifestArtifact, 'node'>[];
  };
}

/** Writes a built node's files into the staging folder (a node with errors writes nothing). */
export function stageOutcome(staging: StagingFiles, outcome: NodeOutcome): StagedOutcome {
  if (!outcome.built) return { diagnostics: outcome.diagnostics };
  const entries = outcome.built.files.map((file) => stageFile(staging, file));
  return { diagnostics: outcome.diagnostics, built: { summary: outcome.built.summary, manifest: outcome.built.manifest, entries } };
}
