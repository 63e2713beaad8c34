/**
 * The write worker of a two-thread build: takes files the main thread rendered, encodes and hashes
 * them and writes them into the staging folder, so that this work (and the file system's: a few
 * syscalls per file, tens of thousands of files) runs beside the rendering instead of between it.
 * It answers each batch with what the manifest records. After a failure it writes nothing more and
 * only acknowledges batches; the main thread then fails the build and drops the staging folder.
 */
import { parentPort } from 'node:worker_threads';
import { StagingFiles, stageFile } from '../../emit/write-output.ts';
import type { FromWriter, ToWriter } from './messages.ts';
import { writeFailure } from './transfer.ts';

if (!parentPort) throw new Error('write-worker runs only as a worker thread');
const port = parentPort;
let staging: StagingFiles | undefined;
let failed = false;

port.on('message', (message: ToWriter) => {
  if (message.type === 'staging') {
    staging = new StagingFiles(message.dir, message.access);
    return;
  }
  if (failed) return reply({ type: 'skipped' });
  try {
    if (!staging) throw new Error('files arrived before the staging folder');
    const nodes = message.nodes.map(({ index, files }) => ({ index, entries: files.map((file) => stageFile(staging!, file)) }));
    reply({ type: 'written', nodes });
  } catch (error) {
    failed = true;
    reply(writeFailure(error));
  }
});

function reply(message: FromWriter): void {
  port.postMessage(message);
}
