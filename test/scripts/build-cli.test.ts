/**
 * The bundle scripts/build-cli.mjs builds and bin/kindling.js runs (vitest's globalSetup has just
 * built it from the current sources): every command loads only the code it uses, the bundle carries
 * a code cache V8 accepts, and a rebuild of unchanged sources writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fleet } from '../helpers/fleet.ts';
import { REPO, tempDir } from '../helpers/project.ts';

const BUTANE_FILE = join(REPO, 'test/fixtures/butane/04-min-fcos15.bu');

/**
 * The functions of the bundle a CLI run called, from V8's coverage of it. esbuild wraps each module
 * it initialises on first use in a function named by the module's path (src/..., node_modules/...).
 */
function calledBy(args: string[]): string[] {
  const coverage = tempDir();
  const run = spawnSync(process.execPath, [join(REPO, 'bin/kindling.js'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: coverage } });
  expect(run.status, run.stderr).toBe(0);
  const scripts = readdirSync(coverage).flatMap((name) => (JSON.parse(readFileSync(join(coverage, name), 'utf8')) as Coverage).result);
  const bundle = scripts.find((script) => script.url === pathToFileURL(join(REPO, 'bundle/cli.cjs')).href);
  expect(bundle).toBeDefined();
  return bundle!.functions.filter((fn) => fn.ranges[0]!.count > 0).map((fn) => fn.functionName);
}

/** The modules a CLI run initialised. */
const modulesLoadedBy = (args: string[]): string[] => calledBy(args).filter((name) => /^(src|node_modules)\//.test(name));

/** The functions that make the CLI's commands (`export function validateCommand`, ...). */
const COMMAND_FACTORIES = readdirSync(join(REPO, 'src/cli/commands')).flatMap((name) =>
  [...readFileSync(join(REPO, 'src/cli/commands', name), 'utf8').matchAll(/^export function (\w+Command)\(/gm)].map((match) => match[1]!),
);

/** What became of the code cache when `root`/bin/load-cli.js loaded the bundle: taken, rejected by V8, or none given. */
function cacheVerdict(root: string): string {
  const probe = "const { script } = require('./bin/load-cli.js').loadCli(); process.stdout.write({ false: 'taken', true: 'rejected' }[script.cachedDataRejected] ?? 'none');";
  const run = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

describe('the bundled command line', () => {
  it('loads for `kindling butane` the translator, and neither the profile pipeline nor the schema compiler, templates or YAML documents', () => {
    const loaded = modulesLoadedBy(['butane', BUTANE_FILE]);
    expect(loaded).toContain('src/cli/commands/butane.ts');
    expect(loaded.filter((path) => /^src\/(build\/|plan\/|resolve\/|render\/cloud-init\/|cli\/commands\/(?!butane))|node_modules\/(ajv|ajv-draft-04|handlebars|yaml)\//.test(path))).toEqual([]);
  });

  it('loads for `kindling validate` the profile pipeline, and neither renderers nor the schema compiler', () => {
    const loaded = modulesLoadedBy(['validate', join(REPO, 'profiles')]);
    expect(loaded).toContain('src/build/load-project.ts');
    expect(loaded.filter((path) => /^src\/(render\/|pack\/|emit\/|build\/parallel\/|cli\/commands\/(?!validate))|node_modules\/(ajv|ajv-draft-04|handlebars)\//.test(path))).toEqual([]);
  });

  it('makes no command for `kindling --version`', () => {
    expect(COMMAND_FACTORIES).toContain('validateCommand');
    expect(calledBy(['--version']).filter((name) => COMMAND_FACTORIES.includes(name))).toEqual([]);
  });

  it('builds a fleet of 400+ nodes with its write worker', () => {
    const out = join(tempDir(), 'out');
    const run = spawnSync(process.execPath, [join(REPO, 'bin/kindling.js'), 'build', fleet(400), '--out', out, '--jobs', '2'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^built 403 nodes into /);
    expect(readdirSync(join(out, 'lab', 'nodes'))).toHaveLength(403);
  });

  it('carries a code cache that V8 takes for the bundle', () => {
    expect(cacheVerdict(REPO)).toBe('taken');
  });

  it('does not give V8 a cache made for another build of the bundle, even one of the same length', () => {
    const copy = tempDir();
    cpSync(join(REPO, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(REPO, 'bundle'), join(copy, 'bundle'), { recursive: true });
    const bundle = join(copy, 'bundle/cli.cjs');
    const source = readFileSync(bundle, 'utf8');
    writeFileSync(bundle, source.replace(/kindling-bundle ([0-9a-f])/, (_, digit: string) => `kindling-bundle ${digit === '0' ? '1' : '0'}`));
    expect(readFileSync(bundle, 'utf8')).toHaveLength(source.length);
    expect(cacheVerdict(copy)).toBe('none');
  });

  it('writes nothing when it is built again from unchanged sources', () => {
    const build = spawnSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/: 0 of \d+ files changed/);
  });
});
