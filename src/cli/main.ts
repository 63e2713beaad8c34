/**
 * kindling's command line: parses argv, calls the library, prints. Exit codes: 0 ok, 1 invalid
 * input or failed build, 2 usage error. No stack trace reaches the user for bad input; an
 * unexpected internal error prints one line and asks for a bug report.
 */
import { Command, CommanderError } from '@commander-js/extra-typings';
import { kindlingVersion } from './kindling-version.ts';
import { processIo, type Io } from './report.ts';

type SetExit = (code: number) => void;

/**
 * Each command's module, imported only when it is needed: a command loads the code it uses and
 * nothing else (`kindling butane` never loads the profile pipeline, `kindling validate` never the
 * renderers). In the order `--help` lists them.
 */
type Register = (program: Command, io: Io, setExit: SetExit) => unknown;
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  init: () => import('./commands/init.ts').then((m) => (program, io, setExit) => program.addCommand(m.initCommand(io, setExit))),
  validate: () => import('./commands/validate.ts').then((m) => (program, io, setExit) => program.addCommand(m.validateCommand(io, setExit))),
  build: () => import('./commands/build.ts').then((m) => (program, io, setExit) => program.addCommand(m.buildCommand(io, setExit))),
  plan: () => import('./commands/plan.ts').then((m) => (program, io, setExit) => program.addCommand(m.planCommand(io, setExit))),
  butane: () => import('./commands/butane.ts').then((m) => m.registerButaneCommand),
  diff: () => import('./commands/diff.ts').then((m) => (program, io, setExit) => program.addCommand(m.diffCommand(io, setExit))),
  rbac: () => import('./commands/rbac.ts').then((m) => (program, io, setExit) => program.addCommand(m.rbacCommand(io, setExit))),
  kubeconfig: () => import('./commands/kubeconfig.ts').then((m) => (program, io, setExit) => program.addCommand(m.kubeconfigCommand(io, setExit))),
  lock: () => import('./commands/lock.ts').then((m) => (program, io, setExit) => program.addCommand(m.lockCommand(io, setExit))),
  serve: () => import('./commands/serve.ts').then((m) => (program, io, setExit) => program.addCommand(m.serveCommand(io, setExit))),
  explain: () => import('./commands/explain.ts').then((m) => (program, io, setExit) => program.addCommand(m.explainCommand(io, setExit))),
  versions: () => import('./commands/versions.ts').then((m) => (program, io, setExit) => program.addCommand(m.versionsCommand(io, setExit))),
  completion: () => import('./commands/completion.ts').then((m) => (program, io, setExit) => program.addCommand(m.completionCommand(io, setExit))),
};

/**
 * The commands argv needs: the one it names, none for the version, and every one otherwise (the
 * overview help, `help <command>`, and the suggestion for a mistyped command list them all).
 */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  // A completion script describes every command.
  if (first !== undefined && first !== 'completion' && Object.hasOwn(COMMANDS, first)) return [first];
  if (first === '--version' || first === '-V') return [];
  return Object.keys(COMMANDS);
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('kindling')
    .description('Compile YAML node profiles into first-boot configuration (cloud-init, Butane/Ignition) for nodes running flanneld under systemd.')
    .version(`kindling ${kindlingVersion()}`, '-V, --version', 'print the version and exit')
    // kindling's options before the command name only, so that `kindling butane -V` is butane's.
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  try {
    const registers = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()));
    for (const register of registers) register(program, io, setExit);
    for (const command of program.commands) command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
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
