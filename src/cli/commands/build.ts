import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { buildProjectInParallel } from '../../build/parallel/build-in-parallel.ts';
import { displayPath } from '../../io/display-path.ts';
import { exitCodeFor, jsonReport, printDiagnostics, type Io } from '../report.ts';

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^[1-9][0-9]*$/.test(value) || jobs > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return jobs;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildCommand(io: Io, setExit: (code: number) => void) {
  return new Command('build')
    .summary('compile profiles into OUT/<cluster>/ (user-data, config.ign, manifest.json)')
    .description(
      'Compile profiles into first-boot configuration under OUT/<cluster>/: user-data + meta-data for cloud-init ' +
        'nodes, config.bu + config.ign for flatcar and fcos nodes, and manifest.json. The output is replaced ' +
        'atomically, one build at a time (a lock beside it): a failed build leaves it untouched, an unchanged build ' +
        'writes nothing, and a file edited, deleted or made readable since the last build is written again. ' +
        'OUT/<cluster> must be a folder kindling wrote (or absent or empty); files you add inside it are kept.',
    )
    .addHelpText('after', '\nExamples:\n  kindling build                      # ./profiles -> ./out/<cluster>/\n  kindling build site/ --out /srv/www  # publish straight into a web root\n  kindling build --node worker-1 --strict')
    .argument('[dir]', 'profile directory', 'profiles')
    .option('--out <dir>', 'output directory', 'out')
    .option('--node <name>', 'build only this node (repeatable); other nodes keep their previous output', collect)
    .option('--strict', 'treat warnings as errors')
    .addOption(
      new Option('--jobs <n>', '1: build on one thread; 2 or more (the default): a fresh build of 400+ nodes writes its files on a second thread while this one renders')
        .argParser(parseJobs),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dir, options) => {
      const strict = options.strict === true;
      const result = await buildProjectInParallel(dir ?? 'profiles', {
        outDir: options.out,
        strict,
        ...(options.node ? { nodes: options.node } : {}),
        ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
      });
      const code = exitCodeFor(result.diagnostics, strict);
      if (options.format === 'json') {
        io.stdout(
          jsonReport(
            {
              out: result.emit ? displayPath(result.emit.clusterDir) : null,
              changed: result.emit?.changed ?? false,
              nodes: result.nodes,
            },
            result.diagnostics,
            strict,
          ),
        );
      } else {
        printDiagnostics(io, result.diagnostics, strict);
        if (result.ok && result.emit) {
          const where = displayPath(result.emit.clusterDir);
          io.stdout(
            result.emit.changed
              ? `built ${result.nodes.length} node${result.nodes.length === 1 ? '' : 's'} into ${where}/ (${result.emit.files} files)\n`
              : `${where}/ is up to date (${result.nodes.length} node${result.nodes.length === 1 ? '' : 's'}, nothing written)\n`,
          );
        } else if (code !== 0) {
          io.stderr('build failed; the output directory was left unchanged\n');
        }
      }
      setExit(code);
    });
}
