import { Command, Option } from '@commander-js/extra-typings';
import { loadProject } from '../../build/load-project.ts';
import { countOf, exitCodeFor, jsonReport, printDiagnostics, type Io } from '../report.ts';

export function validateCommand(io: Io, setExit: (code: number) => void): Command<[string | undefined], { strict?: true; format: string }> {
  return new Command('validate')
    .summary('check profiles without writing anything')
    .description('Check profiles without writing anything: YAML syntax, the profile schema, meaning (names, addresses, networks, backends), secrets and artifact pins. Every problem is reported at once with file:line:column.')
    .argument('[dir]', 'profile directory', 'profiles')
    .option('--strict', 'treat warnings as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((dir, options) => {
      const result = loadProject(dir ?? 'profiles');
      const strict = options.strict === true;
      if (options.format === 'json') {
        io.stdout(jsonReport({ nodes: result.project?.nodes.length ?? 0 }, result.diagnostics, strict));
      } else {
        printDiagnostics(io, result.diagnostics, strict);
        const code = exitCodeFor(result.diagnostics, strict);
        if (code === 0) io.stdout(`${dir ?? 'profiles'}: ${countOf(result.project?.nodes.length ?? 0, 'node')} valid\n`);
      }
      setExit(exitCodeFor(result.diagnostics, strict));
    });
}
