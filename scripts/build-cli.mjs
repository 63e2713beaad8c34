#!/usr/bin/env node
// Builds the command line bin/kindling.js runs: src/ and its dependencies bundled by esbuild into
// bundle/cli.cjs, so a start reads one plain JavaScript file instead of hundreds of modules (and no
// TypeScript loader), with a V8 code cache beside it (scripts/prime-cli-cache.mjs) so that it need
// not compile it either. Each command's module is imported by src/cli/main.ts only when that
// command runs, and stays lazy in the bundle.
//
//   node scripts/build-cli.mjs        # also run by `npm run build`, `npm ci` and before the tests
//
// bundle/ is a sparse mirror of src/: bundle/cli.cjs (src/cli/main.ts with everything it imports),
// bundle/build/parallel/*-worker.js (the build's workers, started by src/build/parallel/start-worker.ts as
// ./<name>.js) and bundle/generated/ (the precompiled schemas, found by src/generated-modules.ts as
// ./generated/ and by src/ignition/schema-check.ts as ../generated/). A module that finds a file
// relative to itself (templates/, schemas/) sees, through import.meta.url, the place it would have
// in that mirror, so those paths resolve as they do from src/ and from dist/.
//
// The tests run this first (vitest's globalSetup), so bin/kindling.js always runs the current
// sources. It must stay fast, and safe while another process runs the CLI: it writes only the files
// that changed, each by an atomic rename, the bundle after what it loads.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { precompileSchemas } from './precompile-schemas.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(root, 'src');
export const BUNDLE = join(root, 'bundle');
const INPUTS_STAMP = 'generated/.inputs';
const CODE_CACHE = 'cli.cjs.cache';
/** The worker entries src/build/parallel/start-worker.ts starts (its `entry` names): one file each, in its folder. */
const WORKERS = ['write-worker', 'stat-worker'];
const WORKER_DIR = 'build/parallel';

/**
 * Gives each bundled module the import.meta.url it would have at its place in the mirror, written
 * relative to the output file it lands in (`depth`: that file's folder below bundle/, '' or '../';
 * `ownUrl`: the expression for that file's URL).
 */
function mirroredImportMetaUrl(depth, ownUrl) {
  return {
    name: 'mirrored-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(SRC + sep)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const mirrored = depth + relative(SRC, args.path).split(sep).join('/').replace(/\.ts$/, '.js');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(mirrored)}, ${ownUrl}).href`), loader: 'ts' };
      });
    },
  };
}

const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  outdir: BUNDLE,
  write: false,
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** Sources → bundle/ files (path relative to bundle/ → contents). */
async function bundleSources() {
  // One CommonJS file, loaded with its code cache (bin/load-cli.js); the command modules it imports
  // dynamically stay lazy: they run only when their command does.
  const cli = await build({
    ...COMMON,
    format: 'cjs',
    entryPoints: { cli: join(SRC, 'cli/main.ts') },
    outExtension: { '.js': '.cjs' },
    // src/build/code-identity.ts reads the stamp on the last line of the file it runs from.
    define: { __KINDLING_BUNDLE_FILE__: '__filename' },
    plugins: [mirroredImportMetaUrl('', 'require("node:url").pathToFileURL(__filename).href')],
  });
  const worker = await build({
    ...COMMON,
    format: 'esm',
    entryPoints: Object.fromEntries(WORKERS.map((name) => [`${WORKER_DIR}/${name}`, join(SRC, WORKER_DIR, `${name}.ts`)])),
    plugins: [mirroredImportMetaUrl('../'.repeat(WORKER_DIR.split('/').length), 'import.meta.url')],
    // The CommonJS dependencies (handlebars, ...) call require() for Node's own modules.
    banner: { js: "import { createRequire as __kindlingRequire } from 'node:module'; const require = __kindlingRequire(import.meta.url);" },
  });
  const files = new Map([...worker.outputFiles, ...cli.outputFiles].map((file) => [relative(BUNDLE, file.path), Buffer.from(file.contents)]));
  files.set('cli.cjs', stamped(files.get('cli.cjs')));
  return files;
}

/** The bundle with its hash as its last line, which its code cache must carry too (bin/load-cli.js). */
function stamped(contents) {
  return Buffer.concat([contents, Buffer.from(`\n// kindling-bundle ${createHash('sha256').update(contents).digest('hex')}\n`)]);
}

/** The precompiled schemas, recompiled only when a schema or the compiler changed. */
function schemaModules(previous) {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, 'scripts/precompile-schemas.mjs')));
  for (const name of readdirSync(join(root, 'schemas')).sort()) hash.update(name).update(readFileSync(join(root, 'schemas', name)));
  const inputs = hash.digest('hex');
  if (previous.get(INPUTS_STAMP)?.toString() === inputs) {
    return new Map([...previous].filter(([path]) => path.startsWith(`generated${sep}`)));
  }
  const modules = new Map([...precompileSchemas()].map(([name, code]) => [join('generated', name), Buffer.from(code)]));
  // The stamp is listed last so that it is written after the modules it vouches for.
  modules.set(INPUTS_STAMP, Buffer.from(inputs));
  return modules;
}

function filesUnder(dir, base = dir, found = new Map()) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(path, base, found);
    else found.set(relative(base, path), readFileSync(path));
  }
  return found;
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

export async function buildCli() {
  const previous = filesUnder(BUNDLE);
  const wanted = new Map([...schemaModules(previous), ...(await bundleSources())]);
  // The bundle last: a process that loads the new cli.cjs must find what it loads in turn.
  const order = [...wanted.keys()].sort((a, b) => Number(a === 'cli.cjs') - Number(b === 'cli.cjs'));
  let written = 0;
  for (const path of order) {
    const contents = wanted.get(path);
    if (previous.get(path)?.equals(contents)) continue;
    writeAtomically(join(BUNDLE, path), contents);
    written++;
  }
  for (const path of previous.keys()) if (!wanted.has(path) && path !== CODE_CACHE) rmSync(join(BUNDLE, path), { force: true });
  const bundle = wanted.get('cli.cjs');
  if (!previous.get(CODE_CACHE)?.subarray(0, 64).equals(bundle.subarray(bundle.length - 65, bundle.length - 1))) {
    execFileSync(process.execPath, [join(root, 'scripts/prime-cli-cache.mjs')], { stdio: 'inherit' });
    written++;
  }
  return { written, files: wanted.size + 1 };
}

/**
 * vitest's globalSetup: the tests that run bin/kindling.js run the sources they test. Sources that
 * do not build fail those tests (the entry is removed, never left stale), and only those: the
 * others, which import the sources, still run and point at the error themselves.
 */
export async function setup() {
  try {
    await buildCli();
  } catch (error) {
    rmSync(join(BUNDLE, 'cli.cjs'), { force: true });
    console.error(`scripts/build-cli.mjs: the command line did not build, so the tests that run bin/kindling.js will fail:\n${error.message}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const { written, files } = await buildCli();
  console.log(`built the command line into ${relative(process.cwd(), BUNDLE) || '.'}/: ${written} of ${files} files changed (${Math.round(performance.now() - started)} ms)`);
}
