/**
 * `kindling init [DIR]`: a new project that validates and builds as written (placeholder
 * credentials, unpinned downloads), and says what to replace before it describes a real cluster.
 * It writes only new files: if any of them exists, nothing is written.
 */
import { Command } from '@commander-js/extra-typings';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldFiles, SECRET_FILES } from '../scaffold/project-files.ts';
import { writeNewFiles } from '../scaffold/write-new-files.ts';
import type { Io } from '../report.ts';

/** The schema beside the sources: the same relative place under src/, dist/ and the CLI bundle's mirror of src/. */
const SCHEMA_URL = new URL('../../../schemas/profile.schema.json', import.meta.url);

function nextSteps(dir: string): string {
  const token = join(dir, SECRET_FILES.token);
  const ca = join(dir, SECRET_FILES.ca);
  return [
    'Next:',
    `  1. Set kubernetes.apiServer and the pod network in ${join(dir, 'cluster.yaml')}, and each node's ip and macs.`,
    `  2. Replace the placeholder credentials (0600, ignored by git) with flannel's ServiceAccount token and the cluster CA:`,
    `       kindling rbac ${dir} | kubectl apply -f -`,
    `       kubectl -n kube-flannel get secret flannel-token -o jsonpath="{.data.token}" | base64 -d > ${token}`,
    `       kubectl -n kube-flannel get secret flannel-token -o jsonpath="{.data['ca\\.crt']}" | base64 -d > ${ca}`,
    `  3. Pin the downloads: kindling lock ${dir}, then delete downloads.allowUnpinned.`,
    `  4. kindling build ${dir}`,
    '',
  ].join('\n');
}

export function initCommand(io: Io, setExit: (code: number) => void) {
  return new Command('init')
    .summary('create a new project: a cluster, a role, a node per OS, placeholder secrets')
    .description(
      'Create a project in DIR that validates and builds as it is: cluster.yaml, roles/worker.yaml, one node per OS ' +
        '(flatcar, fcos, cloud-init), placeholder credentials in secrets/ (mode 0600, ignored by git), and a copy of the ' +
        "profile schema in schema/ that every profile file names for editors (yaml-language-server). Existing files are " +
        'never overwritten: if one of these files exists, nothing is written.',
    )
    .addHelpText('after', '\nExamples:\n  kindling init && kindling build      # ./profiles -> ./out/lab/\n  kindling init site/')
    .argument('[dir]', 'project directory to create', 'profiles')
    .action((dir) => {
      const root = dir ?? 'profiles';
      const files = scaffoldFiles(readFileSync(SCHEMA_URL, 'utf8'));
      const outcome = writeNewFiles(
        root,
        files.map((f) => ({ path: f.path, text: f.text, mode: f.secret ? 0o600 : 0o644 })),
        { secrets: 0o700 },
      );
      if (!outcome.ok) {
        io.stderr(
          'existing' in outcome
            ? `kindling init: ${outcome.existing} exists; init writes only new files, so nothing was written\n`
            : `kindling init: cannot write ${outcome.failed}: ${outcome.reason}; nothing was left behind\n`,
        );
        setExit(1);
        return;
      }
      io.stdout(`created ${root}/ (${files.length} files):\n${files.map((f) => `  ${join(root, f.path)}\n`).join('')}\n${nextSteps(root)}`);
      setExit(0);
    });
}
