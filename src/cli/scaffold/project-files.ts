/**
 * The files of a new project (`kindling init`): a cluster, one role, one node per OS, placeholder
 * credentials that git ignores, and a copy of the profile schema that every profile file names on
 * its first line.
 *
 * Why a copy of the schema and not a path to the installed one: the modeline is resolved by the
 * editor relative to the profile file, on every machine the project is checked out on. A path into
 * an installation (a global npm prefix, a version manager's folder) exists on one machine only and
 * moves on upgrade, and the schema's $id is not a URL kindling promises to serve. A copy inside the
 * project always resolves, offline too, and describes exactly the language of the kindling that
 * wrote it.
 */
import { catalogRows, type CatalogComponent } from '../../resolve/catalog.ts';
import { PLACEHOLDER_CA_PEM } from './placeholder-ca.ts';

export interface ScaffoldFile {
  /** Relative to the project folder, with `/`. */
  readonly path: string;
  readonly text: string;
  /** 0600 for credentials; others take the default mode. */
  readonly secret: boolean;
}

const SCHEMA_COPY = 'schema/profile.schema.json';
export const SECRET_FILES = { token: 'secrets/flannel.token', ca: 'secrets/ca.crt' } as const;

/** The newest release of a component in the catalog (its rows are in release order). */
function newest(component: CatalogComponent): string {
  return catalogRows().filter((r) => r.component === component).at(-1)!.version;
}

/** A YAML line with its comment in the column the scaffold's comments share. */
function commented(text: string, comment: string): string {
  return `${text.padEnd(40)}# ${comment}`;
}

function modeline(depth: number): string {
  return `# yaml-language-server: $schema=${'../'.repeat(depth)}${SCHEMA_COPY}\n`;
}

function clusterYaml(): string {
  return `${modeline(0)}# The cluster: how flanneld reaches the Kubernetes API, the pod network, and what every node
# starts from. \`kindling explain cluster\` describes every field; \`kindling build\` writes out/lab/.
apiVersion: kindling/v1
kind: Cluster
name: lab

kubernetes:
${commented('  apiServer: https://10.0.0.10:6443', 'your API server (https)')}
${commented('  clusterCIDR: 10.244.0.0/16', "the controller-manager's --cluster-cidr")}
  credentials:
    # PLACEHOLDERS until you replace them with the token and CA of flannel's ServiceAccount,
    # which \`kindling rbac\` creates (\`kindling init\` printed the commands).
    token: { file: ${SECRET_FILES.token} }
    ca: { file: ${SECRET_FILES.ca} }

flannel:
${commented(`  version: ${newest('flanneld')}`, '`kindling versions` lists the releases kindling knows')}
${commented('  network: 10.244.0.0/16', 'must equal kubernetes.clusterCIDR')}
  backend: { type: vxlan }
  cniPlugin: { version: ${newest('flannel-cni-plugin')} }
  cniPlugins: { version: ${newest('cni-plugins')} }

downloads:
  # Nothing is pinned yet, so builds warn once per artifact. Run \`kindling lock\` where github.com is
  # reachable to pin every download in kindling.lock, then delete this line.
  allowUnpinned: true

defaults:
  os: flatcar
  arch: amd64
  # users:
  #   - name: core
  #     sshAuthorizedKeys: ["ssh-ed25519 AAAA... you@example"]   # the contents of your ~/.ssh/id_ed25519.pub
`;
}

function roleYaml(): string {
  return `${modeline(1)}# A role: settings the nodes that name it share, applied after the cluster defaults.
apiVersion: kindling/v1
kind: Role
name: worker
files:
  - path: /etc/kindling/role
    mode: 0644
    contents: { inline: "worker\\n" }
`;
}

function nodeYaml(name: string, os: string, last: number, why: string): string {
  return `${modeline(1)}# ${why}
apiVersion: kindling/v1
kind: Node
${commented(`name: ${name}`, 'the Kubernetes Node name and hostname')}
role: worker
os: ${os}
${commented(`ip: 10.0.0.${last}`, 'flanneld --public-ip')}
${commented(`macs: [52:54:00:00:00:${last}]`, 'PXE boot matches the machine by it')}
`;
}

const GITIGNORE = `# Credentials stay out of git: everything in this folder but this file.
*
!.gitignore
`;

/** Every file of a new project, the schema copy given as its text. */
export function scaffoldFiles(schemaText: string): ScaffoldFile[] {
  return [
    { path: 'cluster.yaml', text: clusterYaml(), secret: false },
    { path: 'roles/worker.yaml', text: roleYaml(), secret: false },
    { path: 'nodes/flatcar-1.yaml', text: nodeYaml('flatcar-1', 'flatcar', 21, 'A Flatcar Container Linux node: gets config.bu and config.ign (Ignition).'), secret: false },
    { path: 'nodes/fcos-1.yaml', text: nodeYaml('fcos-1', 'fcos', 22, 'A Fedora CoreOS node: gets config.bu and config.ign (Ignition).'), secret: false },
    { path: 'nodes/ubuntu-1.yaml', text: nodeYaml('ubuntu-1', 'cloud-init', 23, 'A cloud-init node (Ubuntu, Debian, ...): gets user-data, meta-data and seed.iso.'), secret: false },
    { path: SCHEMA_COPY, text: schemaText, secret: false },
    { path: 'secrets/.gitignore', text: GITIGNORE, secret: false },
    { path: SECRET_FILES.token, text: 'PLACEHOLDER-replace-with-the-flannel-ServiceAccount-token\n', secret: true },
    { path: SECRET_FILES.ca, text: PLACEHOLDER_CA_PEM, secret: true },
  ];
}
