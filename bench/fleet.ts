/**
 * Fleet benchmark: generates projects of N nodes from the shipped example and measures
 * `kindling validate` and `kindling build` (cold, into an empty out/), a no-op rebuild and a rebuild
 * after one node changed, each in a fresh process. Prints wall time, CPU time, nodes per second and
 * peak RSS. `build` uses the
 * default threads for 400+ nodes (on 2 cores: one renders, one writes; with more, all render);
 * `build --jobs 1` is the same build on one thread, for comparison.
 *
 * The build writes ~3 files per node (user-data, meta-data and a 64 KiB seed.iso for a cloud-init
 * node), so on a slow disk creating files dominates. Each build is measured twice: with out/ on
 * disk (the OS temporary folder) and in memory (/dev/shm, when there is one). The "raw write" row is
 * the floor of that storage: a plain loop that creates the same folders and writes files of the same
 * sizes, with no kindling work at all.
 *
 *   npm run bench                 # 1,000 and 10,000 nodes, cloud-init and a mixed fleet
 *   npm run bench -- 5000         # one size
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const REPO = resolve(import.meta.dirname, '..');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [1000, 10000];
const MIXES: Record<string, readonly string[]> = { 'cloud-init': ['cloud-init'], mixed: ['cloud-init', 'flatcar', 'fcos'] };

function makeFleet(n: number, oses: readonly string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'kindling-bench-')), 'profiles');
  cpSync(join(REPO, 'profiles'), dir, { recursive: true });
  rmSync(join(dir, 'nodes'), { recursive: true });
  mkdirSync(join(dir, 'nodes'));
  // 100 nodes per file, as a large site would split them.
  for (let file = 0; file * 100 < n; file++) {
    const docs: string[] = [];
    for (let i = file * 100; i < Math.min(n, (file + 1) * 100); i++) {
      const b = (i >> 8) & 255;
      const c = i & 255;
      docs.push(
        `apiVersion: kindling/v1\nkind: Node\nname: node-${i}\nrole: ${i % 10 === 0 ? 'control-plane' : 'worker'}\nos: ${oses[i % oses.length]}\n` +
          `ip: 10.${1 + (i >> 16)}.${b}.${c}\nmacs: ['52:54:${((i >> 16) & 255).toString(16).padStart(2, '0')}:00:${b.toString(16).padStart(2, '0')}:${c.toString(16).padStart(2, '0')}']\n`,
      );
    }
    writeFileSync(join(dir, 'nodes', `fleet-${String(file).padStart(4, '0')}.yaml`), docs.join('---\n'));
  }
  return dir;
}

/** Moves node-1 to another address (or back): a rebuild then builds that node alone. */
function editOneNode(dir: string, back = false): void {
  const file = join(dir, 'nodes', 'fleet-0000.yaml');
  const [from, to] = back ? ['ip: 10.200.0.1\n', 'ip: 10.1.0.1\n'] : ['ip: 10.1.0.1\n', 'ip: 10.200.0.1\n'];
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}

interface Measure {
  code: number;
  wallMs: number;
  cpuMs: number;
  maxRssKiB: number;
}

function measure(args: string[]): Measure {
  const run = spawnSync(process.execPath, [join(REPO, 'bench/measure.js'), ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = run.stderr.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as Measure;
}

/** Every file under `dir` with its size, folders first (the order a writer creates them). */
function listOutput(dir: string, prefix = ''): { path: string; size: number; dir: boolean }[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const path = join(prefix, e.name);
    return e.isDirectory() ? [{ path, size: 0, dir: true }, ...listOutput(dir, path)] : [{ path, size: statSync(join(dir, path)).size, dir: false }];
  });
}

/** The storage floor: the same folders and file sizes as a build's output, written by a bare loop. */
function rawWrite(built: string, target: string): Measure {
  const entries = listOutput(built);
  const buffers = new Map<number, Buffer>();
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  mkdirSync(target, { recursive: true });
  for (const entry of entries) {
    if (entry.dir) mkdirSync(join(target, entry.path));
    else {
      let data = buffers.get(entry.size);
      if (!data) buffers.set(entry.size, (data = Buffer.alloc(entry.size, 0x5a)));
      writeFileSync(join(target, entry.path), data);
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { code: 0, wallMs: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: 0 };
}

const STORAGE: [string, string][] = [['disk', tmpdir()]];
if (existsSync('/dev/shm')) STORAGE.push(['memory', '/dev/shm']);

const rows: string[][] = [['fleet', 'nodes', 'step', 'out/ on', 'wall s', 'CPU s', 'nodes/s (wall)', 'peak RSS MB', 'exit']];
function report(mix: string, n: number, step: string, where: string, m: Measure): void {
  rows.push([mix, String(n), step, where, (m.wallMs / 1000).toFixed(2), (m.cpuMs / 1000).toFixed(2), Math.round(n / (m.wallMs / 1000)).toLocaleString('en'), m.maxRssKiB ? (m.maxRssKiB / 1024).toFixed(0) : '-', String(m.code)]);
  process.stderr.write(`${rows[rows.length - 1]!.join('  ')}\n`);
}

for (const [mix, oses] of Object.entries(MIXES)) {
  for (const n of SIZES) {
    const dir = makeFleet(n, oses);
    report(mix, n, 'validate', '-', measure(['validate', dir]));
    for (const [where, base] of STORAGE) {
      const scratch = mkdtempSync(join(base, 'kindling-bench-out-'));
      const out = join(scratch, 'out');
      report(mix, n, 'build', where, measure(['build', dir, '--out', out]));
      report(mix, n, 'rebuild (no change)', where, measure(['build', dir, '--out', out]));
      editOneNode(dir);
      report(mix, n, 'rebuild (1 node changed)', where, measure(['build', dir, '--out', out]));
      editOneNode(dir, true);
      const single = join(scratch, 'out-1');
      report(mix, n, 'build --jobs 1', where, measure(['build', dir, '--out', single, '--jobs', '1']));
      report(mix, n, 'raw write (floor)', where, rawWrite(out, join(scratch, 'raw')));
      rmSync(scratch, { recursive: true, force: true });
    }
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n'));
