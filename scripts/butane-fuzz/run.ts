/**
 * The differential fuzzer: kindling's Butane translator against the real butane.
 *
 *   npx tsx scripts/butane-fuzz/run.ts --seed 1 --count 2000 [--butane /path/to/butane]
 *     [--out DIR] [--jobs 3] [--flags all|none]
 *
 * Prints, per class of difference, how many (config, flag set) runs and configs show it, and
 * saves examples (line-minimised while cheap) under DIR/<class>/. A dev tool: nothing in src/
 * imports it and the package does not ship it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { translateButane, formatButaneReport } from '../../src/butane/index.ts';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';
import { makeConfig, type Kind } from './config-source.ts';
import { classify, type Difference, type RunResult } from './classify.ts';
import { makeFilesDir } from './files-dir.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const seed = Number(arg('--seed', '1'));
const count = Number(arg('--count', '1000'));
const butane = arg('--butane', '/work/tools/butane');
const outDir = resolve(arg('--out', `/work/tools/fuzz-out/seed-${seed}`));
const jobs = Number(arg('--jobs', '3'));
const work = join(tmpdir(), `butane-fuzz-${process.pid}`);
const filesDir = join(work, 'files');

/** The flag sets every config runs under (`-d` gets the files directory). */
const FLAG_SETS: readonly (readonly string[])[] = arg('--flags', 'all') === 'none' ? [[]] : [[], ['-p'], ['-s'], ['-d'], ['-p', '-s'], ['-s', '-d']];

function expand(flags: readonly string[]): string[] {
  return flags.flatMap((f) => (f === '-d' ? ['-d', filesDir] : [f]));
}

function runKindling(source: string, flags: readonly string[]): RunResult {
  const result = translateButane(source, {
    pretty: flags.includes('-p'),
    strict: flags.includes('-s'),
    files: flags.includes('-d') ? createFsReader(filesDir, readBoundedFile) : undefined,
  });
  return { stdout: result.ok ? result.output ?? '' : '', stderr: formatButaneReport(result), code: result.ok ? 0 : 1 };
}

function runButane(file: string, flags: readonly string[]): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(butane, [...expand(flags), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (code) => done({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }));
  });
}

interface Tally {
  runs: number;
  configs: Set<number>;
  details: Map<string, number>;
  examples: number;
}

async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** Drops lines while the same class of difference stays (a few dozen butane runs at most). */
async function minimise(source: string, flags: readonly string[], cls: string, file: string): Promise<string> {
  let lines = source.split('\n');
  let budget = 60;
  for (let i = lines.length - 1; i >= 0 && budget > 0; i--) {
    const candidate = [...lines.slice(0, i), ...lines.slice(i + 1)];
    const text = candidate.join('\n');
    if (!/variant/.test(text)) continue;
    budget--;
    writeFileSync(file, text);
    const d = classify(runKindling(text, flags), await runButane(file, flags));
    if (d.some((x) => x.cls === cls)) lines = candidate;
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  makeFilesDir(filesDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tallies = new Map<string, Tally>();
  const kinds = new Map<Kind, { configs: number; agreeing: number; butaneOk: number }>();
  const started = Date.now();
  let agreeing = 0;
  let runs = 0;
  const toSave: { i: number; source: string; flags: readonly string[]; d: Difference; k: RunResult; b: RunResult }[] = [];

  await pool(Array.from({ length: count }, (_, i) => i), jobs, async (i) => {
    const { source, kind } = makeConfig(seed, i);
    const file = join(work, `c${i}.bu`);
    writeFileSync(file, source);
    let agrees = true;
    let butaneOk = false;
    // Without a local file reference, -d changes nothing for either translator: skip those runs.
    const usesFiles = source.includes('local');
    for (const flags of FLAG_SETS) {
      if (flags.includes('-d') && !usesFiles) continue;
      const k = runKindling(source, flags);
      const b = await runButane(file, flags);
      runs++;
      if (flags.length === 0 && b.code === 0) butaneOk = true;
      for (const d of classify(k, b)) {
        agrees = false;
        const t = tallies.get(d.cls) ?? { runs: 0, configs: new Set<number>(), details: new Map<string, number>(), examples: 0 };
        tallies.set(d.cls, t);
        t.runs++;
        t.configs.add(i);
        const seen = t.details.get(d.detail) ?? 0;
        t.details.set(d.detail, seen + 1);
        if (seen === 0 && t.examples < 40) {
          t.examples++;
          toSave.push({ i, source, flags, d, k, b });
        }
      }
    }
    rmSync(file, { force: true });
    const s = kinds.get(kind) ?? { configs: 0, agreeing: 0, butaneOk: 0 };
    s.configs++;
    if (agrees) s.agreeing++;
    if (butaneOk) s.butaneOk++;
    kinds.set(kind, s);
    if (agrees) agreeing++;
  });
  const seconds = (Date.now() - started) / 1000;

  const minimiseLimit = Number(arg('--minimise', '3'));
  const minimisedPerClass = new Map<string, number>();
  for (const ex of toSave) {
    const dir = join(outDir, ex.d.cls.replace(/[^a-z0-9.-]/gi, '_'), `${ex.i}${ex.flags.join('').replace(/-/g, '_')}`);
    mkdirSync(dir, { recursive: true });
    const n = minimisedPerClass.get(ex.d.cls) ?? 0;
    let small = ex.source;
    if (n < minimiseLimit) {
      minimisedPerClass.set(ex.d.cls, n + 1);
      small = await minimise(ex.source, ex.flags, ex.d.cls, join(work, 'min.bu'));
      writeFileSync(join(dir, 'minimal.bu'), small);
    }
    writeFileSync(join(dir, 'input.bu'), ex.source);
    writeFileSync(join(dir, 'cmd'), `butane ${ex.flags.map((f) => (f === '-d' ? '-d FILES' : f)).join(' ')} input.bu\n`);
    writeFileSync(join(dir, 'detail'), ex.d.detail + '\n');
    for (const [who, r] of [['kindling', ex.k], ['butane', ex.b]] as const) {
      writeFileSync(join(dir, `${who}.stdout`), r.stdout);
      writeFileSync(join(dir, `${who}.stderr`), r.stderr);
      writeFileSync(join(dir, `${who}.code`), String(r.code) + '\n');
    }
  }

  const lines: string[] = [];
  lines.push(`seed ${seed}, ${count} configs × ${FLAG_SETS.length} flag sets = ${runs} runs in ${seconds.toFixed(1)} s (${jobs} jobs)`);
  lines.push(`configs on which every flag set agrees: ${agreeing} of ${count}`);
  for (const [kind, s] of [...kinds].sort()) lines.push(`  ${kind}: ${s.agreeing}/${s.configs} agree (butane accepts ${s.butaneOk} with no flags)`);
  lines.push('');
  lines.push('class                         runs  configs');
  for (const [cls, t] of [...tallies].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`${cls.padEnd(28)} ${String(t.runs).padStart(6)} ${String(t.configs.size).padStart(8)}`);
    const top = [...t.details].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('--top', '6')));
    for (const [detail, n] of top) lines.push(`      ${String(n).padStart(5)}  ${detail.replace(/\n/g, '⏎').slice(0, 200)}`);
  }
  const summary = lines.join('\n') + '\n';
  writeFileSync(join(outDir, 'summary.txt'), summary);
  writeFileSync(join(outDir, 'counts.json'), JSON.stringify({ seed, count, runs, seconds, agreeing, classes: Object.fromEntries([...tallies].map(([c, t]) => [c, { runs: t.runs, configs: t.configs.size }])) }, null, 2) + '\n');
  process.stdout.write(summary + `examples: ${outDir}\n`);
  rmSync(work, { recursive: true, force: true });
}

void main();
