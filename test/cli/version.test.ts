/** `kindling -V/--version` and `kindling butane -V/--version`: one line each, naming kindling and its version. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary, runCli } from '../helpers/cli.ts';
import { REPO } from '../helpers/project.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('kindling --version', () => {
  it('prints one line naming kindling and the version of its package, for -V and --version', async () => {
    for (const flag of ['-V', '--version']) {
      const run = await runCli([flag]);
      expect(run).toEqual({ status: 0, stdout: `kindling ${VERSION}\n`, stderr: '' });
    }
  });

  it('prints the same line from the installed command', () => {
    expect(runBinary(['--version'])).toEqual({ status: 0, stdout: `kindling ${VERSION}\n`, stderr: '' });
  });
});

describe('kindling butane --version', () => {
  it("prints butane's form (Butane v<release>) with the butane release it matches and kindling's version as semver build metadata", async () => {
    for (const flag of ['-V', '--version']) {
      const run = await runCli(['butane', flag]);
      expect(run).toEqual({ status: 0, stdout: `Butane v0.25.1+kindling.${VERSION}\n`, stderr: '' });
    }
  });

  it('prints it from the installed command too', () => {
    expect(runBinary(['butane', '-V'])).toEqual({ status: 0, stdout: `Butane v0.25.1+kindling.${VERSION}\n`, stderr: '' });
  });
});
