import { Command, Option } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { displayPath } from '../../parse/read-profile-dir.ts';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { loadProject } from '../../load-project.ts';
import { clusterFiles, compileProject } from '../../build-project.ts';
import { desiredTree } from '../../emit/write-output.ts';
import { readTree } from '../../emit/output-tree.ts';
import { diffTrees, formatDiff } from '../../emit/diff.ts';
import { exitCodeFor, jsonReport, printDiagnostics, type Io } from '../report.ts';

export function diffCommand(io: Io, setExit: (code: number) => void) {
  return new Command('diff')
    .summary('show what a build would change in OUT/<cluster>/, decoded and with secrets masked')
    .description(
      'Compile the profiles in memory and compare the result with OUT/<cluster>/, per node and per file, without ' +
        'writing anything. gzip, base64 and Ignition data URLs are decoded so the diff is readable; the kubeconfig ' +
        'and any token or client key are shown as <secret>. Binary artifacts are reported by size. Exit status: 0 ' +
        'when a build would change nothing, 1 when it would change something (or the profiles are invalid).',
    )
    .addHelpText('after', '\nExamples:\n  kindling diff                       # ./profiles against ./out/<cluster>/\n  kindling diff site/ --out /srv/www')
    .argument('[dir]', 'profile directory', 'profiles')
    .option('--out <dir>', 'output directory to compare with', 'out')
    .option('--strict', 'treat warnings as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((dir, options) => {
      const strict = options.strict === true;
      const loaded = loadProject(dir ?? 'profiles');
      const diagnostics = [...loaded.diagnostics];
      const compiled = loaded.project && !hasErrors(diagnostics, strict) ? compileProject(loaded.project) : undefined;
      if (compiled) diagnostics.push(...compiled.diagnostics);
      if (!loaded.project || !compiled || hasErrors(diagnostics, strict)) {
        if (options.format === 'json') io.stdout(jsonReport({ changed: null, files: [] }, diagnostics, strict));
        else printDiagnostics(io, diagnostics);
        setExit(exitCodeFor(diagnostics, strict) || 1);
        return;
      }
      const cluster = loaded.project.cluster.name;
      const current = new Map([...readTree(join(options.out, cluster))].map(([path, file]) => [path, file.data]));
      const diffs = diffTrees(current, desiredTree(cluster, compiled.builds, clusterFiles(loaded.project)));
      if (options.format === 'json') {
        io.stdout(jsonReport({ changed: diffs.length > 0, files: diffs }, diagnostics, strict));
      } else {
        printDiagnostics(io, diagnostics);
        io.stdout(formatDiff(diffs, displayPath(join(options.out, cluster))));
      }
      setExit(diffs.length > 0 ? 1 : 0);
    });
}
