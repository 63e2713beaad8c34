/**
 * `kindling completion bash|zsh|fish`: scripts generated from the registered commands, so they
 * cannot drift from them. Checked against what `--help` shows (every command, every option), and
 * parsed by the shells themselves; bash also runs its completion function.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/project.ts';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** The commands `kindling --help` lists, and for each the long and short options its own --help lists. */
async function helpedCommands(): Promise<Map<string, string[]>> {
  const overview = (await runCli(['--help'])).stdout;
  const names = [...overview.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z]+)/gm)].map((m) => m[1]!);
  const commands = new Map<string, string[]>();
  for (const name of names) {
    const help = (await runCli(name === 'help' ? ['help', '--help'] : [name, '--help'])).stdout;
    const options = help.includes('Options:\n') ? help.split('Options:\n')[1]! : '';
    commands.set(name, [...options.matchAll(/^ {2}(?:(-[A-Za-z]), )?(--[a-z-]+)/gm)].flatMap((m) => [m[1], m[2]].filter((f): f is string => f !== undefined)));
  }
  return commands;
}

async function script(shell: string): Promise<string> {
  const run = await runCli(['completion', shell]);
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout;
}

describe('kindling completion', () => {
  it.each(SHELLS)('names every command and every option --help shows, in the %s script', async (shell) => {
    const text = await script(shell);
    const commands = await helpedCommands();
    expect(commands.size).toBeGreaterThanOrEqual(14);
    for (const [name, options] of commands) {
      expect(text, name).toMatch(new RegExp(`\\b${name}\\b`));
      for (const option of options) {
        const form = shell === 'fish' ? (option.startsWith('--') ? `-l ${option.slice(2)}` : `-s ${option.slice(1)}`) : option;
        expect(text, `${name} ${option}`).toContain(form);
      }
    }
  });

  it('is valid bash (bash -n), and its function completes commands, options and choices', () => {
    const file = join(tempDir(), 'kindling.bash');
    writeFileSync(file, runBinary(['completion', 'bash']).stdout);
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    const complete = (words: string[]): string[] => {
      const program = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kindling; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const run = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      return run.stdout.split('\n').filter((l) => l !== '');
    };
    expect(complete(['kindling', 'ex'])).toEqual(['explain']);
    expect(complete(['kindling', 'build', '--f'])).toEqual(['--format']);
    expect(complete(['kindling', 'build', '--format', ''])).toEqual(['text', 'json']);
    expect(complete(['kindling', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(complete(['kindling', 'butane', '-'])).toEqual(expect.arrayContaining(['-o', '--output', '-p', '--pretty', '-h', '--help']));
  });

  it.runIf(installed('zsh'))('is valid zsh (zsh -n)', async () => {
    const file = join(tempDir(), '_kindling');
    writeFileSync(file, await script('zsh'));
    const run = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.runIf(installed('fish'))('is valid fish (fish --no-execute), and fish offers its commands', async () => {
    const file = join(tempDir(), 'kindling.fish');
    writeFileSync(file, await script('fish'));
    const parse = spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' });
    expect(parse.stderr).toBe('');
    expect(parse.status).toBe(0);
    const run = spawnSync('fish', ['-c', `source ${file}; complete -C 'kindling ver'`], { encoding: 'utf8' });
    expect(run.stdout.split('\n')[0]).toMatch(/^versions\t/);
  });

  it('refuses a shell it has no script for, as a usage error', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n");
  });
});
