/**
 * One rule for where commands write, across every command: `--out DIR` names an output folder
 * (the root that holds <cluster>/), `-o, --output FILE` names the one file a command writes instead
 * of stdout. Read from each command's --help, so a new command is held to it too.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

/** Each command's option lines from its --help, e.g. `-o, --output <file>`. */
async function optionLines(): Promise<Map<string, string[]>> {
  const overview = (await runCli(['--help'])).stdout;
  const names = [...overview.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  const lines = new Map<string, string[]>();
  for (const name of names) {
    const help = (await runCli([name, '--help'])).stdout;
    const options = help.includes('Options:\n') ? help.split('Options:\n')[1]! : '';
    lines.set(name, [...options.matchAll(/^ {2}((?:-[A-Za-z], )?--[a-z-]+(?: [<[][^>\]]+[>\]])?)/gm)].map((m) => m[1]!));
  }
  return lines;
}

describe('output options', () => {
  it('are --out <dir> for a folder and -o, --output <file> for a file, on every command', async () => {
    const seen: string[] = [];
    for (const [command, options] of await optionLines()) {
      for (const option of options) {
        if (!/--(out|output|dest|target|to|out-dir|output-dir|outdir)\b/.test(option)) continue;
        seen.push(`${command} ${option}`);
        expect(['--out <dir>', '-o, --output <file>'], `${command}: ${option}`).toContain(option);
      }
    }
    expect(seen).toEqual(
      expect.arrayContaining(['build --out <dir>', 'diff --out <dir>', 'butane -o, --output <file>', 'rbac -o, --output <file>', 'kubeconfig -o, --output <file>']),
    );
  });
});
