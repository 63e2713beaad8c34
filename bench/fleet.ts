/**
 * Fleet benchmark: generates projects of N nodes from the shipped example and measures
 * `kindling validate` and `kindling build` (cold, into an empty out/) and a no-op rebuild, each in
 * a fresh process. Prints wall time, nodes per second and peak RSS.
 *
 *   npm run bench                 # 1,000 and 10,000 nodes, cloud-init and a mixed fleet
 *   npm run bench -- 5000         # one size
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const rows: string[][] = [['fleet', 'nodes', 'step', 'wall s', 'CPU s', 'nodes/s (wall)', 'peak RSS MB', 'exit']];
for (const [mix, oses] of Object.entries(MIXES)) {
  for (const n of SIZES) {
    const dir = makeFleet(n, oses);
    const out = join(dir, '..', 'out');
    for (const [step, args] of [
      ['validate', ['validate', dir]],
      ['build', ['build', dir, '--out', out]],
      ['rebuild (no change)', ['build', dir, '--out', out]],
    ] as const) {
      const m = measure([...args]);
      rows.push([mix, String(n), step, (m.wallMs / 1000).toFixed(2), (m.cpuMs / 1000).toFixed(2), Math.round(n / (m.wallMs / 1000)).toLocaleString('en'), (m.maxRssKiB / 1024).toFixed(0), String(m.code)]);
      process.stderr.write(`${rows[rows.length - 1]!.join('  ')}\n`);
    }
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n'));
