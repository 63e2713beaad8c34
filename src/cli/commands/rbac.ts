/**
 * `kindling rbac [DIR]`: the cluster-side objects flanneld needs (Namespace, ClusterRole,
 * ClusterRoleBinding, ServiceAccount and its token Secret) as YAML for `kubectl apply -f -`.
 * Names come from the profile's optional `kubernetes.rbac` block. Nothing here is secret: the
 * Secret object is empty until the cluster's token controller fills it in.
 */
import { Command } from '@commander-js/extra-typings';
import { writeFileSync } from 'node:fs';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { loadProfile } from '../../load-project.ts';
import { describeIoError } from '../../parse/read-profile-dir.ts';
import { checkFlannelRbacNames, renderFlannelRbac } from '../../render/cluster/rbac.ts';
import type { FlannelRbacInput } from '../../render/cluster/rbac.ts';
import { printDiagnostics, type Io } from '../report.ts';

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
    .option('--output <file>', 'write the YAML to FILE instead of stdout')
    .action((dir, options) => {
      const loaded = loadProfile(dir ?? 'profiles');
      const diagnostics: Diagnostic[] = [...loaded.diagnostics];
      const profile = loaded.profile;
      if (profile === undefined || hasErrors(diagnostics)) {
        printDiagnostics(io, diagnostics);
        setExit(1);
        return;
      }
      const rbac = profile.cluster.value.kubernetes.rbac ?? {};
      const input: FlannelRbacInput = { ...rbac };
      // The schema already checks the names' form; this is the renderer's own check, located.
      for (const problem of checkFlannelRbacNames(input)) {
        const path = ['kubernetes', 'rbac', ...(problem.path ?? [])];
        diagnostics.push({ ...problem, path, location: profile.cluster.doc.locate(path) });
      }
      if (hasErrors(diagnostics)) {
        printDiagnostics(io, diagnostics);
        setExit(1);
        return;
      }
      // Warnings (such as unpinned downloads) do not concern the cluster side: not printed here,
      // so that stderr stays quiet in `kindling rbac | kubectl apply -f -`.
      const yaml = renderFlannelRbac(input);
      if (options.output === undefined) {
        io.stdout(yaml);
      } else {
        try {
          writeFileSync(options.output, yaml, { mode: 0o644 });
        } catch (error) {
          io.stderr(`kindling: cannot write ${options.output}: ${describeIoError(error)}\n`);
          setExit(1);
          return;
        }
        io.stderr(`wrote ${options.output}\n`);
      }
      setExit(0);
    });
}
