/**
 * `kindling butane`: a drop-in for the `butane` command (same flags, same stderr report, same
 * exit codes: 0 ok, 1 translation failed or --strict with warnings, 2 usage), backed by
 * kindling's own translator.
 */
import { Command } from '@commander-js/extra-typings';
import { readFileSync, writeFileSync } from 'node:fs';
import { translateButane, formatButaneReport } from '../../butane/index.ts';
import { createFsReader } from '../../butane/fs-reader.ts';
import { implementedSummary } from '../../butane/variants.ts';
import { readBoundedFile } from '../../io/bounded-file.ts';
import { kindlingVersion } from '../kindling-version.ts';
import { processIo, type Io } from '../report.ts';

interface ButaneCliOptions {
  pretty?: boolean;
  strict?: boolean;
  check?: boolean;
  filesDir?: string;
  output?: string;
}

/** Runs one translation like `butane [options] [file]`; returns the exit code. */
async function runButane(file: string | undefined, options: ButaneCliOptions, io: Io): Promise<number> {
  let source: string;
  try {
    source = file === undefined || file === '-' ? await readProcessStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`failed to open ${file ?? 'stdin'}: ${(e as Error).message}\n`);
    return 1;
  }
  const result = translateButane(source, {
    pretty: options.pretty === true,
    strict: options.strict === true,
    files: options.filesDir !== undefined ? createFsReader(options.filesDir, readBoundedFile) : undefined,
  });
  io.stderr(formatButaneReport(result));
  if (!result.ok || result.output === undefined) return 1;
  if (options.check) return 0;
  if (options.output !== undefined) {
    try {
      // As butane opens it: a new file 0644 less the umask, an existing one truncated with its mode
      // kept, so a script that swaps butane for kindling gets the same file. (kindling build
      // writes a node's configs with modes of its own.)
      writeFileSync(options.output, result.output, { mode: 0o644 });
    } catch (e) {
      io.stderr(`failed to write ${options.output}: ${(e as Error).message}\n`);
      return 1;
    }
  } else {
    io.stdout(result.output);
  }
  return 0;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The release of the real butane whose translations kindling's are checked against. `--version`
 * prints butane's line (`Butane v0.25.1`) with kindling's version as semver build metadata, which
 * version comparisons ignore: a script that checks butane's version sees the release it matches.
 */
const MATCHED_BUTANE_RELEASE = 'v0.25.1';

export function registerButaneCommand(
  program: Command,
  io: Io = processIo,
  setExit: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): void {
  const cmd = new Command('butane')
    .description(`Translate a Butane config (${implementedSummary()}) to Ignition JSON, like the butane command.`)
    .version(`Butane ${MATCHED_BUTANE_RELEASE}+kindling.${kindlingVersion()}`, '-V, --version', 'print the version and exit')
    .argument('[file]', 'Butane config to read (default: stdin)')
    .option('-p, --pretty', 'output formatted JSON')
    .option('-s, --strict', 'fail on any warning')
    .option('-c, --check', 'check config only; write no output')
    .option('-d, --files-dir <dir>', 'allow embedding local files from this directory')
    .option('-o, --output <file>', 'write output to file instead of stdout')
    .option('-r, --raw', 'never wrap in a MachineConfig (accepted for compatibility; kindling never wraps)')
    .exitOverride()
    .action(async (file, options) => {
      setExit(await runButane(file, options, io));
    });
  program.addCommand(cmd);
}
