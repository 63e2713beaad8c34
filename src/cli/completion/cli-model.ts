/**
 * The command line as completion scripts need it, read from the registered commander commands
 * through commander's own help (the commands and options `--help` shows, hidden ones left out), so
 * that a script cannot offer what the CLI lacks or miss what it has.
 */
import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';

/** What an option's value or an argument is, for the shell to complete. */
type ValueKind = 'none' | 'file' | 'directory' | 'word';

export interface CliOption {
  readonly short?: string;
  readonly long?: string;
  readonly description: string;
  readonly value: ValueKind;
  readonly choices?: readonly string[];
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly CliOption[];
  /** The words the command's first argument takes, when it takes a fixed set. */
  readonly argumentChoices?: readonly string[];
}

export interface CliModel {
  readonly name: string;
  readonly options: readonly CliOption[];
  readonly commands: readonly CliCommand[];
}

/** Words a script may hold unquoted: completion scripts are code, and a choice must not become more of it. */
const SAFE_WORD = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function safe(word: string): string {
  if (!SAFE_WORD.test(word)) throw new Error(`completion: ${JSON.stringify(word)} is not a plain word`);
  return word;
}

function valueKind(option: Option): ValueKind {
  if (!option.required && !option.optional) return 'none';
  const placeholder = /[<[]([^>\]]*)[>\]]/.exec(option.flags)?.[1] ?? '';
  if (/dir/.test(placeholder)) return 'directory';
  if (/file|path/.test(placeholder)) return 'file';
  return 'word';
}

function optionOf(option: Option): CliOption {
  return {
    ...(option.short !== undefined ? { short: safe(option.short.replace(/^-/, '')) && option.short } : {}),
    ...(option.long !== undefined ? { long: safe(option.long.replace(/^--/, '')) && option.long } : {}),
    description: option.description,
    value: valueKind(option),
    ...(option.argChoices !== undefined ? { choices: option.argChoices.map(safe) } : {}),
  };
}

export function cliModel(program: CommandUnknownOpts): CliModel {
  const help = program.createHelp();
  const commands = help.visibleCommands(program);
  const names = commands.map((c) => safe(c.name()));
  return {
    name: safe(program.name()),
    options: help.visibleOptions(program).map(optionOf),
    commands: commands.map((command) => {
      const first = help.visibleArguments(command)[0];
      // `help [command]` takes a command name; commander's implicit help command has no choices of its own.
      const choices = command.name() === 'help' ? names : first?.argChoices?.map(safe);
      return {
        name: safe(command.name()),
        summary: command.summary() || command.description().split('\n')[0]!,
        options: help.visibleOptions(command).map(optionOf),
        ...(choices !== undefined ? { argumentChoices: choices } : {}),
      };
    }),
  };
}

/** Every spelling of an option (-o, --output). */
export function spellings(option: CliOption): string[] {
  return [option.short, option.long].filter((s): s is string => s !== undefined);
}
