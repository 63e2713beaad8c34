/**
 * The bundle scripts/build-cli.mjs builds and bin/kindling.js runs (vitest's globalSetup has just
 * built it from the current sources): every command loads only the code it uses, and a rebuild of
 * unchanged sources writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fleet } from '../helpers/fleet.ts';
import { REPO, tempDir } from '../helpers/project.ts';

const BUTANE_FILE = join(REPO, 'test/fixtures/butane/04-min-fcos15.bu');

/**
 * The modules a CLI run loaded: the bundle's files it imported (a module hook logs them) and, in
 * them, the source modules esbuild marks with a `// path` line (src/..., node_modules/...).
 */
function modulesLoadedBy(args: string[]): string[] {
  const dir = tempDir();
  const log = join(dir, 'loaded.txt');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function load(url, context, next) {\n' +
      `  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n` +
      '  return next(url, context);\n' +
      '}\n',
  );
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, join(REPO, 'bin/kindling.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const files = readFileSync(log, 'utf8').trim().split('\n').filter((url) => url.includes('/bundle/'));
  return files.flatMap((url) => readFileSync(fileURLToPath(url), 'utf8').match(/^\/\/ \S+$/gm) ?? []).map((line) => line.slice(3));
}

describe('the bundled command line', () => {
  it('loads for `kindling butane` the translator, and neither the profile pipeline nor the schema compiler, templates or YAML documents', () => {
    const loaded = modulesLoadedBy(['butane', BUTANE_FILE]);
    expect(loaded).toContain('src/cli/commands/butane.ts');
    expect(loaded.filter((path) => /^src\/(load-project|build-|plan\/|resolve\/|render\/cloud-init\/|cli\/commands\/(?!butane))|node_modules\/(ajv|ajv-draft-04|handlebars|yaml)\//.test(path))).toEqual([]);
  });

  it('loads for `kindling validate` the profile pipeline, and neither renderers nor the schema compiler', () => {
    const loaded = modulesLoadedBy(['validate', join(REPO, 'profiles')]);
    expect(loaded).toContain('src/load-project.ts');
    expect(loaded.filter((path) => /^src\/(render\/|pack\/|emit\/|parallel\/|cli\/commands\/(?!validate))|node_modules\/(ajv|ajv-draft-04|handlebars)\//.test(path))).toEqual([]);
  });

  it('loads no command for `kindling --version`', () => {
    expect(modulesLoadedBy(['--version']).filter((path) => path.startsWith('src/cli/commands/'))).toEqual([]);
  });

  it('builds a fleet of 400+ nodes with its write worker', () => {
    const out = join(tempDir(), 'out');
    const run = spawnSync(process.execPath, [join(REPO, 'bin/kindling.js'), 'build', fleet(400), '--out', out, '--jobs', '2'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^built 403 nodes into /);
    expect(readdirSync(join(out, 'lab', 'nodes'))).toHaveLength(403);
  });

  it('writes nothing when it is built again from unchanged sources', () => {
    const build = spawnSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/: 0 of \d+ files changed/);
  });
});
