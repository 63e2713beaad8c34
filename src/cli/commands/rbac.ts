/**
 * `kindling rbac [DIR]`: the cluster-side objects flanneld needs (Namespace, ClusterRole,
 * ClusterRoleBinding, ServiceAccount and its token Secret) as YAML for `kubectl apply -f -`.
 * The objects are the library's (cluster/flannel-rbac.ts); this file parses the options and prints.
 */
import { Command, Option } from '@commander-js/extra-typings';
import { writeFileSync } from 'node:fs';
import { flannelRbacManifest } from '../../cluster/flannel-rbac.ts';
import { describeIoError } from '../../io/io-error.ts';
import { jsonReport, printDiagnostics, type Io } from '../report.ts';

export function rbacCommand(io: Io, setExit: (code: number) => void) {
  return new Command('rbac')
    .summary('print the Namespace, RBAC, ServiceAccount and token Secret flanneld needs (for kubectl apply)')
    .description(
      "Print the cluster-side objects for the profile's cluster as YAML that `kubectl apply -f -` accepts: " +
        'the Namespace (with the pod-security label), a ClusterRole (nodes get/list/watch, nodes/status patch, pods get), ' +
        'its ClusterRoleBinding, the ServiceAccount, and a kubernetes.io/service-account-token Secret (Kubernetes 1.24 ' +
        'and newer create no token on their own). Names are set under kubernetes.rbac in the cluster profile.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kindling rbac | kubectl apply -f -\n' +
        '  kubectl -n kube-flannel get secret flannel-token -o jsonpath="{.data.token}" | base64 -d > profiles/secrets/flannel.token\n' +
        '  kubectl -n kube-flannel get secret flannel-token -o jsonpath="{.data[\'ca\\.crt\']}" | base64 -d > profiles/secrets/ca.crt',
    )
    .argument('[dir]', 'profile directory', 'profiles')
    .option('-o, --output <file>', 'write the YAML to FILE instead of stdout')
    .addOption(new Option('--format <format>', 'yaml: the objects for kubectl apply; json: a report {ok, objects, diagnostics}').choices(['yaml', 'json']).default('yaml'))
    .action((dir, options) => {
      const manifest = flannelRbacManifest(dir ?? 'profiles');
      if (options.format === 'json') {
        const text = jsonReport({ objects: manifest.objects ?? [] }, manifest.diagnostics, false);
        if (options.output === undefined) io.stdout(text);
        else if (!writeOutput(io, options.output, text)) return setExit(1);
        setExit(manifest.objects === undefined ? 1 : 0);
        return;
      }
      if (manifest.yaml === undefined) {
        printDiagnostics(io, manifest.diagnostics);
        setExit(1);
        return;
      }
      // Warnings do not concern the cluster side: not printed here, so that stderr stays quiet
      // in `kindling rbac | kubectl apply -f -`.
      if (options.output === undefined) {
        io.stdout(manifest.yaml);
      } else if (!writeOutput(io, options.output, manifest.yaml)) {
        setExit(1);
        return;
      }
      setExit(0);
    });
}

/** Writes FILE (0644: nothing in it is secret) and says so on stderr; false after reporting a failure. */
function writeOutput(io: Io, file: string, text: string): boolean {
  try {
    writeFileSync(file, text, { mode: 0o644 });
  } catch (error) {
    io.stderr(`kindling: cannot write ${file}: ${describeIoError(error)}\n`);
    return false;
  }
  io.stderr(`wrote ${file}\n`);
  return true;
}
