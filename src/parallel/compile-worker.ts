/**
 * The worker thread of a parallel build: receives the project (without its nodes), then chunks of
 * nodes, and answers each chunk. On a fresh build it writes the nodes' files into the staging folder
 * itself and answers with their sizes and hashes; otherwise it answers with the encoded, hashed
 * bytes and the main thread decides what to write.
 */
import { parentPort } from 'node:worker_threads';
import type { Project, ResolvedNode } from '../resolve/project-model.ts';
import { StagingFiles } from '../emit/write-output.ts';
import { encodedFiles, nodeOutcome, stageOutcome, type NodeOutcome } from '../node-outcome.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { ownsItsBuffer, writeFailure } from './transfer.ts';

if (!parentPort) throw new Error('compile-worker runs only as a worker thread');
const port = parentPort;
let project: Project | undefined;
let strict = false;
let staging: StagingFiles | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'project') {
    project = message.project;
    strict = message.strict;
    staging = message.staging !== undefined ? new StagingFiles(message.staging) : undefined;
    return;
  }
  let outcomes: NodeOutcome[];
  try {
    if (!project) throw new Error('nodes arrived before the project');
    outcomes = message.nodes.map((node) => nodeOutcome(project!, node, strict));
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) });
    return;
  }
  if (staging) {
    try {
      reply({ type: 'staged', start: message.start, outcomes: outcomes.map((outcome) => stageOutcome(staging!, outcome)) });
    } catch (error) {
      reply(writeFailure(error));
    }
    return;
  }
  const encoded = outcomes.map(encodedOutcome);
  reply({ type: 'outcomes', start: message.start, outcomes: encoded }, transferables(encoded));
});

function reply(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function encodedOutcome(outcome: NodeOutcome): NodeOutcome {
  if (!outcome.built) return outcome;
  return { ...outcome, built: { ...outcome.built, files: encodedFiles(outcome.built.files) } };
}

/**
 * Buffers that can move to the main thread instead of being copied: only those that own their
 * whole memory (not a slice of Node's shared pool) and appear once. Every artifact's bytes are made
 * per node (encoded text, a packed image); a buffer shared between nodes would be emptied by the
 * move, so a repeated one is copied instead (the parallel build test compares with a serial build).
 */
function transferables(outcomes: readonly NodeOutcome[]): ArrayBuffer[] {
  const seen = new Set<ArrayBufferLike>();
  const repeated = new Set<ArrayBufferLike>();
  for (const outcome of outcomes) {
    for (const file of outcome.built?.files ?? []) {
      const data = file.data as Uint8Array;
      if (ownsItsBuffer(data)) (seen.has(data.buffer) ? repeated : seen).add(data.buffer);
    }
  }
  return [...seen].filter((buffer) => !repeated.has(buffer)) as ArrayBuffer[];
}
