/**
 * `kindling completion bash|zsh|fish`: a completion script for the shell, generated from the
 * commands registered at this moment (main.ts registers all of them for this command).
 */
import { Argument, Command } from '@commander-js/extra-typings';
import { bashScript } from '../completion/bash.ts';
import { cliModel } from '../completion/cli-model.ts';
import { fishScript } from '../completion/fish.ts';
import { zshScript } from '../completion/zsh.ts';
import type { Io } from '../report.ts';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export function completionCommand(io: Io, setExit: (code: number) => void) {
  return new Command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a completion script for the shell, made from the commands and options of this kindling.')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  source <(kindling completion bash)          # in ~/.bashrc\n' +
        '  source <(kindling completion zsh)           # in ~/.zshrc, after compinit\n' +
        '  kindling completion fish > ~/.config/fish/completions/kindling.fish',
    )
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]))
    .action((shell, _options, command) => {
      io.stdout(SCRIPTS[shell](cliModel(command.parent!)));
      setExit(0);
    });
}
