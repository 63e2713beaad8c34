/**
 * `kindling kubeconfig`: assembles the kubeconfig flanneld reads from an API server URL, a CA file
 * and either a token (file or environment variable) or a client certificate and key — the same
 * assembly builds do for every node. The inputs are checked first (https URL, PEM CA, a token with
 * no whitespace inside, a key that matches its certificate), and no message ever echoes a secret.
 *
 * The result holds a credential, so it is written 0600 (atomically: a temporary file with that mode,
 * renamed over the target) and goes to stdout only when no --output is given and stdout is not a
 * terminal, where it would end up in scrollback.
 */
import { Command } from '@commander-js/extra-typings';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { describeIoError } from '../../parse/read-profile-dir.ts';
import { renderKubeconfig } from '../../plan/modules/kubeconfig.ts';
import type { KubeconfigCredentials } from '../../plan/modules/kubeconfig.ts';
import { checkClusterCredentials, normaliseToken } from '../../validate/credentials.ts';
import { printDiagnostics, processIo, type Io } from '../report.ts';

/** Writes `text` to `path` with mode 0600 whatever the umask, replacing any previous file atomically. */
export function writeSecretFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

interface KubeconfigOptions {
  server: string;
  caFile: string;
  tokenFile?: string;
  tokenEnv?: string;
  clientCertificate?: string;
  clientKey?: string;
  output?: string;
  clusterName?: string;
  user?: string;
}

type Outcome = { code: number };

function usage(io: Io, message: string): Outcome {
  io.stderr(`kindling kubeconfig: ${message}\n(see kindling kubeconfig --help)\n`);
  return { code: 2 };
}

/** Reads one input file; the message names the file and the option, never its contents. */
function readInput(path: string, what: string, problems: Diagnostic[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push({ code: 'secret/missing', severity: 'error', message: `cannot read the ${what} file '${path}': ${describeIoError(error)}`, hint: `check the path given to the ${what} option` });
    return undefined;
  }
}

export function runKubeconfig(options: KubeconfigOptions, io: Io, env: NodeJS.ProcessEnv = process.env): Outcome {
  const byToken = [options.tokenFile, options.tokenEnv].filter((v) => v !== undefined).length;
  const byCert = options.clientCertificate !== undefined || options.clientKey !== undefined;
  if (byToken + (byCert ? 1 : 0) !== 1) {
    return usage(io, 'give exactly one credential: --token-file FILE, --token-env NAME, or --client-certificate FILE with --client-key FILE');
  }
  if (byCert && (options.clientCertificate === undefined || options.clientKey === undefined)) {
    return usage(io, '--client-certificate and --client-key go together');
  }
  const toStdout = options.output === undefined;
  if (toStdout && io === processIo && process.stdout.isTTY === true) {
    return usage(io, 'refusing to print a kubeconfig (it holds a credential) to a terminal: give --output FILE or redirect stdout');
  }

  const problems: Diagnostic[] = [];
  const caPem = readInput(options.caFile, '--ca-file', problems);
  let credentials: KubeconfigCredentials | undefined;
  if (options.tokenFile !== undefined) {
    const raw = readInput(options.tokenFile, '--token-file', problems);
    if (raw !== undefined) credentials = { token: normaliseToken(raw) };
  } else if (options.tokenEnv !== undefined) {
    const raw = env[options.tokenEnv];
    if (raw === undefined) {
      problems.push({ code: 'secret/missing', severity: 'error', message: `environment variable ${options.tokenEnv} (--token-env) is not set`, hint: `export ${options.tokenEnv} before running kindling` });
    } else {
      credentials = { token: normaliseToken(raw) };
    }
  } else {
    const cert = readInput(options.clientCertificate!, '--client-certificate', problems);
    const key = readInput(options.clientKey!, '--client-key', problems);
    if (cert !== undefined && key !== undefined) credentials = { clientCertificatePem: cert, clientKeyPem: key };
  }
  if (caPem !== undefined && credentials !== undefined) {
    for (const problem of checkClusterCredentials({ server: options.server, caPem, credentials })) {
      problems.push({ code: problem.code, severity: 'error', message: problem.message, hint: problem.hint });
    }
  }
  if (problems.length > 0 || caPem === undefined || credentials === undefined) {
    printDiagnostics(io, problems);
    return { code: 1 };
  }

  const text = renderKubeconfig({
    server: options.server,
    caPem,
    credentials,
    ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}),
    ...(options.user !== undefined ? { userName: options.user } : {}),
  });
  if (toStdout) {
    io.stdout(text);
    return { code: 0 };
  }
  try {
    writeSecretFile(options.output!, text);
  } catch (error) {
    io.stderr(`kindling: cannot write ${options.output}: ${describeIoError(error)}\n`);
    return { code: 1 };
  }
  io.stderr(`wrote ${options.output} (mode 0600)\n`);
  return { code: 0 };
}

export function kubeconfigCommand(io: Io, setExit: (code: number) => void) {
  return new Command('kubeconfig')
    .summary("assemble flanneld's kubeconfig from the API server URL, CA and token (or client certificate)")
    .description(
      'Assemble the kubeconfig flanneld reads (cluster, user, context, current-context; certificate-authority-data ' +
        'base64) from an https API server URL, the cluster CA file and one credential: a token file, a token in an ' +
        'environment variable, or a client certificate and key. The inputs are checked first; secrets are never printed ' +
        'in messages. With --output the file is written with mode 0600.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kindling kubeconfig --server https://10.0.0.10:6443 --ca-file profiles/secrets/ca.crt \\\n' +
        '      --token-file profiles/secrets/flannel.token --output flanneld.kubeconfig\n' +
        '  FLANNEL_TOKEN=... kindling kubeconfig --server https://api.example:6443 --ca-file ca.crt --token-env FLANNEL_TOKEN > kubeconfig',
    )
    .requiredOption('--server <url>', 'API server URL (https)')
    .requiredOption('--ca-file <file>', 'PEM CA certificate(s) of the API server')
    .option('--token-file <file>', 'file holding the bearer token (one trailing newline is ignored)')
    .option('--token-env <name>', 'environment variable holding the bearer token')
    .option('--client-certificate <file>', 'PEM client certificate (with --client-key)')
    .option('--client-key <file>', 'unencrypted PEM private key of the client certificate')
    .option('--cluster-name <name>', 'name of the cluster entry', 'kubernetes')
    .option('--user <name>', 'name of the user entry', 'flannel')
    .option('--output <file>', 'write the kubeconfig to FILE (mode 0600) instead of stdout')
    .action((options) => {
      setExit(runKubeconfig(options, io).code);
    });
}
