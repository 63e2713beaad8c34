/**
 * Butane translation speed, in-process: the example's flatcar node config.bu translated many times
 * (text → Ignition, as `kindling butane` does), and the build path (in-memory document → Ignition).
 *
 *   npx tsx bench/translate.ts [iterations]
 */

import { join, resolve } from 'node:path';
import { loadProject } from '../src/build/load-project.ts';
import { planNode } from '../src/plan/plan-node.ts';
import { butaneDocument, butaneText } from '../src/render/node-butane/butane-config.ts';
import { translateButane, translateButaneDocument } from '../src/butane/index.ts';

const REPO = resolve(import.meta.dirname, '..');
const iterations = Number(process.argv[2] ?? 5000);
const { project } = loadProject(join(REPO, 'profiles'), { env: {} });
const node = project!.nodes.find((n) => n.os === 'flatcar')!;
const plan = planNode(project!, node).plan!;
const document = butaneDocument(plan);
const text = butaneText(plan, document);

function measure(label: string, run: () => unknown): void {
  for (let i = 0; i < 500; i++) run(); // warm-up: JIT and caches, as in a fleet build
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  const wall = Number(process.hrtime.bigint() - started) / 1e6 / iterations;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / iterations;
  console.log(`${label.padEnd(48)} ${wall.toFixed(3)} ms wall, ${cpuMs.toFixed(3)} ms CPU per translation (${iterations} iterations)`);
}

console.log(`example flatcar node ${node.name}: config.bu ${text.length} bytes, ${plan.files.length} files, ${plan.units.length} units`);
measure('text: translateButane(config.bu)', () => {
  if (!translateButane(text).ok) throw new Error('translation failed');
});
measure('build path: translateButaneDocument(document)', () => {
  if (!translateButaneDocument(document).ok) throw new Error('translation failed');
});

