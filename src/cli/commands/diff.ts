/** `kindling diff [DIR]`: what a build would change. The comparison is the library's (delivery/diff-project.ts); this file parses the options and prints. */
import { Command, Option } from '@commander-js/extra-typings';
import { displayPath } from '../../io/display-path.ts';
import { diffProject } from '../../delivery/diff-project.ts';
import { formatDiff } from '../../emit/diff.ts';
import { jsonReport, printDiagnostics, type Io } from '../report.ts';

/** Exit statuses a CI job can gate on: "would change something" is not a failure of kindling. */
const DIFF_CHANGES = 1;
const DIFF_FAILED = 2;

export function diffCommand(io: Io, setExit: (code: number) => void) {
  return new Command('diff')
    .summary('show what a build would change in OUT/<cluster>/, decoded and with secrets masked')
    .description(
      'Compile the profiles in memory and compare the result with OUT/<cluster>/, per node and per file, without ' +
        'writing anything. gzip, base64 and Ignition data URLs are decoded so the diff is readable; the kubeconfig ' +
        'and any token or client key are shown as <secret>. Binary artifacts are reported by size. Exit status, as ' +
        '`kubectl diff` separates them: 0 when a build would change nothing, 1 when it would change something, 2 when ' +
        'the profiles are invalid or anything else fails (with --strict: any warning).',
    )
    .addHelpText('after', '\nExamples:\n  kindling diff                       # ./profiles against ./out/<cluster>/\n  kindling diff site/ --out /srv/www')
    .argument('[dir]', 'profile directory', 'profiles')
    .option('--out <dir>', 'output directory to compare with', 'out')
    .option('--strict', 'treat warnings as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((dir, options) => {
      const strict = options.strict === true;
      const result = diffProject(dir ?? 'profiles', { outDir: options.out, strict });
      const { files, clusterDir, diagnostics } = result;
      if (files === undefined || clusterDir === undefined) {
        if (options.format === 'json') io.stdout(jsonReport({ changed: null, files: [] }, diagnostics, strict));
        else printDiagnostics(io, diagnostics, strict);
        setExit(DIFF_FAILED);
        return;
      }
      if (options.format === 'json') {
        io.stdout(jsonReport({ changed: files.length > 0, files }, diagnostics, strict));
      } else {
        printDiagnostics(io, diagnostics, strict);
        io.stdout(formatDiff(files, displayPath(clusterDir)));
      }
      setExit(files.length > 0 ? DIFF_CHANGES : 0);
    });
}
