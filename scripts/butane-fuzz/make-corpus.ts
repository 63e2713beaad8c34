/**
 * Builds the Butane parity corpus (test/fixtures/butane-parity/): inputs taken from the fuzzer's
 * saved examples (each class it found) and from hand-written cases, run through the real butane;
 * each case keeps butane's stdout, stderr and exit code. Only cases where kindling agrees
 * exactly are kept (the rest are counted and printed: they are bugs or documented differences).
 *
 *   npx tsx scripts/butane-fuzz/make-corpus.ts --from /work/tools/fuzz-out/before-examples [--from DIR...] [--max 400]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { translateButane, formatButaneReport } from '../../src/butane/index.ts';
import { createFsReader } from '../../src/butane/fs-reader.ts';
import { readBoundedFile } from '../../src/io/bounded-file.ts';
import { makeFilesDir } from './files-dir.ts';
import { makeConfig } from './config-source.ts';

/** The seed of the sampled configs (fixed, so the corpus is reproducible). */
const SAMPLE_SEED = 424242;

const REPO = resolve(import.meta.dirname, '../..');
const OUT = join(REPO, 'test/fixtures/butane-parity');
const FILES = join(OUT, 'files');
const butane = process.env['BUTANE'] ?? '/work/tools/butane';
const args = process.argv.slice(2);
const froms = args.flatMap((a, i) => (a === '--from' ? [args[i + 1]!] : []));
const max = Number(args[args.indexOf('--max') + 1] ?? 400) || 400;

interface Candidate {
  readonly name: string;
  readonly cls: string;
  readonly flags: string[];
  readonly input: string;
}

function flagsOf(cmd: string): string[] {
  return cmd.trim().split(/\s+/).slice(1, -1).filter((f) => f !== 'FILES');
}

const candidates: Candidate[] = [];
for (const from of froms) {
  for (const cls of readdirSync(from)) {
    if (cls.startsWith('known.') || !statSync(join(from, cls)).isDirectory()) continue;
    for (const id of readdirSync(join(from, cls))) {
      const dir = join(from, cls, id);
      if (!existsSync(join(dir, 'cmd'))) continue;
      const flags = flagsOf(readFileSync(join(dir, 'cmd'), 'utf8'));
      for (const file of ['minimal.bu', 'input.bu']) {
        if (existsSync(join(dir, file))) candidates.push({ name: `${cls}/${id}${file === 'minimal.bu' ? '-min' : ''}`, cls, flags, input: readFileSync(join(dir, file), 'utf8') });
      }
    }
  }
}
// A seeded sample of generated configs, each under one of the flag sets, for broad coverage.
const sample = args.includes('--sample') ? Number(args[args.indexOf('--sample') + 1]) : 0;
const FLAG_SETS = [[], ['-p'], ['-s'], ['-d'], ['-p', '-s'], ['-s', '-d']];
for (let i = 0; i < sample; i++) {
  const { source, kind } = makeConfig(SAMPLE_SEED, i);
  candidates.push({ name: `sample/${kind}-${i}`, cls: `sample.${kind}`, flags: FLAG_SETS[i % FLAG_SETS.length]!, input: source });
}

const handDir = join(import.meta.dirname, 'hand-cases');
for (const file of readdirSync(handDir).sort()) {
  const input = readFileSync(join(handDir, file), 'utf8');
  const flags = /^# flags: (.*)$/m.exec(input)?.[1]?.split(' ').filter(Boolean) ?? [];
  candidates.push({ name: `hand/${file.replace(/\.bu$/, '')}`, cls: 'hand', flags, input });
}

rmSync(FILES, { recursive: true, force: true });
makeFilesDir(FILES);

function real(c: Candidate): { stdout: string; stderr: string; code: number } {
  const file = join(OUT, '.case.bu');
  writeFileSync(file, c.input);
  const r = spawnSync(butane, [...c.flags.flatMap((f) => (f === '-d' ? ['-d', 'files'] : [f])), '.case.bu'], { cwd: OUT, encoding: 'utf8' });
  rmSync(file);
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

function mine(c: Candidate): { stdout: string; stderr: string; code: number } {
  const r = translateButane(c.input, {
    pretty: c.flags.includes('-p'),
    strict: c.flags.includes('-s'),
    files: c.flags.includes('-d') ? createFsReader(FILES, readBoundedFile) : undefined,
  });
  return { stdout: r.ok ? r.output! : '', stderr: formatButaneReport(r).split(FILES).join('files'), code: r.ok ? 0 : 1 };
}

const seen = new Set<string>();
const byClass = new Map<string, object[]>();
const differing = new Map<string, string[]>();
for (const c of candidates) {
  const key = c.flags.join(' ') + '\0' + c.input;
  if (seen.has(key)) continue;
  seen.add(key);
  const b = real(c);
  const k = mine(c);
  if (b.stdout !== k.stdout || b.stderr !== k.stderr || b.code !== k.code) {
    differing.set(c.cls, [...(differing.get(c.cls) ?? []), c.name]);
    continue;
  }
  byClass.set(c.cls, [...(byClass.get(c.cls) ?? []), { name: c.name, flags: c.flags, input: c.input, ...b }]);
}

// Round-robin over the classes, hand cases first, up to `max`.
const picked: object[] = [...(byClass.get('hand') ?? [])];
byClass.delete('hand');
const queues = [...byClass.values()];
for (let i = 0; picked.length < max && queues.some((q) => q.length > i); i++) {
  for (const q of queues) if (q[i] !== undefined && picked.length < max) picked.push(q[i]!);
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'cases.jsonl'), picked.map((p) => JSON.stringify(p)).join('\n') + '\n');
process.stdout.write(`${picked.length} cases written (${seen.size} distinct candidates)\n`);
for (const [cls, names] of differing) process.stdout.write(`still differing in ${cls}: ${names.length} (${names.slice(0, 3).join(', ')})\n`);
