/**
 * kindling's command line: parses argv, calls the library, prints. Exit codes: 0 ok, 1 invalid
 * input or failed build, 2 usage error. No stack trace reaches the user for bad input; an
 * unexpected internal error prints one line and asks for a bug report.
 */
import { Command, CommanderError } from '@commander-js/extra-typings';
import { processIo, type Io } from './report.ts';
import { validateCommand } from './commands/validate.ts';
import { buildCommand } from './commands/build.ts';
import { planCommand } from './commands/plan.ts';
import { registerExtraCommands } from './commands/extra.ts';

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('kindling')
    .description('Compile YAML node profiles into first-boot configuration (cloud-init, Butane/Ignition) for nodes running flanneld under systemd.')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.addCommand(validateCommand(io, setExit).exitOverride());
  program.addCommand(buildCommand(io, setExit).exitOverride());
  program.addCommand(planCommand(io, setExit).exitOverride());
  registerExtraCommands(program, io, setExit);
  for (const command of program.commands) command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr(`kindling: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    io.stderr('this is a bug in kindling; please report it with the command you ran\n');
    if (process.env.KINDLING_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 70;
  }
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  return exitCode;
}
