/**
 * Start-up benchmark: how long one short kindling command takes as a process, side by side with a
 * bare Node start (the floor of any Node CLI) and, when it is on PATH, the real `butane`. Each
 * command runs N times, the commands taking turns, so a busy machine slows all of them alike; the
 * table shows the median and the fastest run of each, and the ratio of medians to `node -e 0`.
 *
 *   npm run bench:startup           # builds the CLI, then 20 runs of each
 *   npm run bench:startup -- 50     # more runs
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 20;
const BUTANE_FILE = join(REPO, 'test/fixtures/butane/04-min-fcos15.bu');
const KINDLING = [process.execPath, join(REPO, 'bin/kindling.js')];

interface Case {
  readonly name: string;
  readonly argv: readonly string[];
}

const cases: Case[] = [
  { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
  { name: 'kindling --version', argv: [...KINDLING, '--version'] },
  { name: 'kindling butane FILE', argv: [...KINDLING, 'butane', BUTANE_FILE] },
  { name: 'kindling validate profiles', argv: [...KINDLING, 'validate', join(REPO, 'profiles')] },
];
if (spawnSync('butane', ['--version']).status === 0) cases.push({ name: 'butane FILE', argv: ['butane', BUTANE_FILE] });

function timeOnce({ name, argv }: Case): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(argv[0]!, argv.slice(1), { cwd: REPO, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${name} failed (exit ${run.status}): ${run.stderr}`);
  return ms;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

for (const c of cases) timeOnce(c); // warm the file cache
const times = new Map(cases.map((c) => [c, [] as number[]]));
for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c)!.push(timeOnce(c));

const floor = median(times.get(cases[0]!)!);
console.log(`${RUNS} runs each, taking turns (Node ${process.version})`);
console.log(`${'command'.padEnd(28)} ${'median'.padStart(9)} ${'fastest'.padStart(9)}  × node -e 0`);
for (const c of cases) {
  const runs = times.get(c)!;
  const m = median(runs);
  console.log(`${c.name.padEnd(28)} ${`${m.toFixed(1)} ms`.padStart(9)} ${`${Math.min(...runs).toFixed(1)} ms`.padStart(9)}  ${(m / floor).toFixed(2)}`);
}
