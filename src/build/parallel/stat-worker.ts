/**
 * The stat worker of a rebuild: lstat()s every entry of the previous output while the main thread
 * validates and resolves the profiles, so that deciding which nodes are unchanged finds the disk's
 * answers waiting instead of asking for tens of thousands of them one by one. It only reads
 * metadata; what the answers mean is decided on the main thread (emit/disk-state.ts).
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { STAT_FIELDS, StatType, type StatReply, type StatRequest } from './stat-messages.ts';

if (!parentPort) throw new Error('stat-worker runs only as a worker thread');
const port = parentPort;

port.on('message', ({ root, paths }: StatRequest) => {
  const stats = new Float64Array(paths.length * STAT_FIELDS);
  paths.forEach((path, i) => {
    const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
    if (stat === undefined) return; // StatType.Missing is 0
    stats.set([stat.isFile() ? StatType.File : stat.isDirectory() ? StatType.Folder : StatType.Other, stat.size, stat.mode, stat.ino, stat.mtimeMs, stat.ctimeMs, stat.gid], i * STAT_FIELDS);
  });
  const reply: StatReply = { stats };
  port.postMessage(reply, [stats.buffer]);
});
