/**
 * `kindling kubeconfig`: assembles the kubeconfig flanneld reads from an API server URL, a CA file
 * and either a token (file or environment variable) or a client certificate and key. The assembly
 * and its checks are the library's (cluster/flanneld-kubeconfig.ts); this file parses the options
 * and decides where the result goes.
 *
 * The result holds a credential, so it is written 0600 and goes to stdout only when no --output is
 * given and stdout is not a terminal, where it would end up in scrollback.
 */
import { Command } from '@commander-js/extra-typings';
import { assembleKubeconfig } from '../../cluster/flanneld-kubeconfig.ts';
import type { KubeconfigCredentialSource } from '../../cluster/flanneld-kubeconfig.ts';
import { writeSecretFile } from '../../cluster/write-secret-file.ts';
import { printDiagnostics, processIo, type Io } from '../report.ts';

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

/** The one credential the options name, or a usage message. */
function credentialSource(options: KubeconfigOptions): KubeconfigCredentialSource | string {
  const byToken = [options.tokenFile, options.tokenEnv].filter((v) => v !== undefined).length;
  const byCert = options.clientCertificate !== undefined || options.clientKey !== undefined;
  if (byToken + (byCert ? 1 : 0) !== 1) {
    return 'give exactly one credential: --token-file FILE, --token-env NAME, or --client-certificate FILE with --client-key FILE';
  }
  if (options.tokenFile !== undefined) return { tokenFile: options.tokenFile };
  if (options.tokenEnv !== undefined) return { tokenEnv: options.tokenEnv };
  if (options.clientCertificate === undefined || options.clientKey === undefined) return '--client-certificate and --client-key go together';
  return { clientCertificate: options.clientCertificate, clientKey: options.clientKey };
}

function runKubeconfig(options: KubeconfigOptions, io: Io, env: NodeJS.ProcessEnv = process.env): Outcome {
  const credential = credentialSource(options);
  if (typeof credential === 'string') return usage(io, credential);
  const toStdout = options.output === undefined;
  if (toStdout && io === processIo && process.stdout.isTTY === true) {
    return usage(io, 'refusing to print a kubeconfig (it holds a credential) to a terminal: give --output FILE or redirect stdout');
  }

  const assembled = assembleKubeconfig(
    {
      server: options.server,
      caFile: options.caFile,
      credential,
      ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}),
      ...(options.user !== undefined ? { user: options.user } : {}),
    },
    env,
  );
  if (assembled.text === undefined) {
    printDiagnostics(io, assembled.diagnostics);
    return { code: 1 };
  }
  if (toStdout) {
    io.stdout(assembled.text);
    return { code: 0 };
  }
  const written = writeSecretFile(options.output!, assembled.text);
  if (!written.ok) {
    io.stderr(`kindling: cannot write ${options.output}: ${written.reason}\n`);
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
    .option('-o, --output <file>', 'write the kubeconfig to FILE (mode 0600) instead of stdout')
    .action((options) => {
      setExit(runKubeconfig(options, io).code);
    });
}
