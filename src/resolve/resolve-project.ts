/**
 * The resolve stage: validated documents → Project. Merges defaults, role and node settings, picks
 * artifacts and their pins, loads secrets, embedded local files and templates.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import type { ValidatedProfile } from '../validate/validate-profile.ts';
import type { OsName } from '../validate/profile-types.ts';
import { parseMode } from '../validate/modes.ts';
import { LocalFileRoots, localReadHint } from './local-files.ts';
import { mergeSettings, type Layer, type Sourced } from './merge-settings.ts';
import { ArtifactResolver } from './artifacts.ts';
import { loadCredentials, type SecretSource } from './secrets.ts';
import { loadTemplates } from './templates.ts';
import type { LockedHashes } from './lock-hashes.ts';
import type { FileContents, Project, ResolvedFile, ResolvedNetwork, ResolvedNode } from './project-model.ts';
import { resolveInstall } from './install.ts';
import { resolveFlannelMetrics } from './flannel-monitoring.ts';
import type { FileSpec, NetworkSpec } from '../validate/profile-types.ts';
import { checkSecretChannels } from '../validate/check-secret-channels.ts';
import { lookupServeGroup, privateOutputWarning } from './serve-group.ts';

export interface ResolveOptions {
  readonly dir: string;
  readonly lock: LockedHashes;
  readonly secrets: SecretSource;
  /** Only these nodes (by name); all when absent. */
  readonly only?: readonly string[];
}

const DEFAULT_HEALTHZ = { address: '127.0.0.1', port: 8081 } as const;

export function resolveProject(profile: ValidatedProfile, options: ResolveOptions): { project?: Project; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { cluster } = profile;
  const c = cluster.value;
  const credentials = loadCredentials(cluster, options.secrets, diagnostics);
  const artifacts = new ArtifactResolver(cluster, options.lock, diagnostics);
  const pins: FilePins = { lock: options.lock, allowUnpinned: c.downloads?.allowUnpinned === true };
  const roots = LocalFileRoots.of(options.dir, cluster, diagnostics);
  const templates = loadTemplates(options.dir, roots, diagnostics);
  const local: LocalContents = { roots, byReference: new Map() };
  const serveGroup = c.delivery?.serveGroup !== undefined ? lookupServeGroup(c.delivery.serveGroup, cluster.doc.locate(['delivery', 'serveGroup']), diagnostics) : undefined;
  if (c.delivery?.publishURL !== undefined && c.delivery.serveGroup === undefined) diagnostics.push(privateOutputWarning(cluster.doc.locate(['delivery', 'publishURL'])));

  const selected = options.only ? profile.nodes.filter((n) => options.only!.includes(n.value.name)) : profile.nodes;
  const nodes: ResolvedNode[] = [];
  const shared = new SharedEntries();
  for (const node of selected) {
    const layers: Layer[] = [];
    if (c.defaults) layers.push({ settings: c.defaults, doc: cluster.doc, base: ['defaults'] });
    const role = node.value.role ? profile.roles.get(node.value.role) : undefined;
    if (role) layers.push({ settings: role.value, doc: role.doc, base: [] });
    layers.push({ settings: node.value, doc: node.doc, base: [] });
    const merged = mergeSettings(layers);

    const os = merged.scalars.os ?? 'flatcar';
    const arch = merged.scalars.arch ?? 'amd64';
    if (!ignitionVersionFits(os, merged.ignitionVersion, layers, node.value.name, diagnostics)) continue;
    const nodeArtifacts = artifacts.forArch(arch);
    const files = merged.files
      .map((file) => shared.file(file, os, () => resolveFile(file, os, pins, local, diagnostics), diagnostics))
      .filter((f): f is ResolvedFile => f !== undefined);
    if (!nodeArtifacts) continue;
    nodes.push({
      name: node.value.name,
      ...(node.value.role ? { role: node.value.role } : {}),
      os,
      arch,
      platform: merged.scalars.platform ?? 'metal',
      ...(merged.scalars.interface ? { interface: merged.scalars.interface } : {}),
      ...(node.value.ip ? { ip: node.value.ip } : {}),
      ...(node.value.ipv6 ? { ipv6: node.value.ipv6 } : {}),
      macs: (node.value.macs ?? []).map((m) => m.toLowerCase().replace(/-/g, ':')),
      ...(node.value.uuid ? { uuid: node.value.uuid.toLowerCase() } : {}),
      ...(node.value.serial ? { serial: node.value.serial } : {}),
      ...(layers.reduce<string | undefined>((id, layer) => layer.settings.cloudInit?.instanceId ?? id, undefined) === 'node' ? { stableInstanceId: true as const } : {}),
      ...resolveInstall(layers, { name: node.value.name, os }, c.delivery?.publishURL, diagnostics),
      ignitionVersion: merged.ignitionVersion ?? '3.3.0',
      flannel: {
        ipMasq: merged.flannel.ipMasq ?? true,
        healthz: { ...DEFAULT_HEALTHZ, ...merged.flannel.healthz },
        extraArgs: merged.flannel.extraArgs ?? [],
      },
      ...resolveFlannelMetrics(merged.flannelMonitoring),
      users: merged.users.map(({ value, origin }) =>
        shared.once({ value, origin }, () => ({
          name: value.name,
          sshAuthorizedKeys: value.sshAuthorizedKeys ?? [],
          groups: value.groups ?? [],
          ...(value.shell ? { shell: value.shell } : {}),
          origin,
        })),
      ),
      files,
      units: merged.units.map(({ value, origin }) =>
        shared.once({ value, origin }, () => ({
          name: value.name,
          ...(value.enabled !== undefined ? { enabled: value.enabled } : {}),
          ...(value.mask !== undefined ? { mask: value.mask } : {}),
          ...(value.contents !== undefined ? { contents: value.contents } : {}),
          dropins: value.dropins ?? [],
          origin,
        })),
      ),
      artifacts: nodeArtifacts,
      ...resolveNetwork([c.defaults?.network, role?.value.network, node.value.network], merged.scalars.interface, node, diagnostics),
      origin: node.doc.locate(['name']),
    });
  }

  diagnostics.push(...checkSecretChannels(profile, selected));
  if (!credentials || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const network = c.flannel;
  return {
    project: {
      dir: options.dir,
      cluster: {
        name: c.name,
        apiServer: c.kubernetes.apiServer,
        clusterCIDR: c.kubernetes.clusterCIDR,
        ...(c.kubernetes.clusterCIDRv6 ? { clusterCIDRv6: c.kubernetes.clusterCIDRv6 } : {}),
        flannel: {
          version: network.version,
          network: network.network,
          ...(network.ipv6Network ? { ipv6Network: network.ipv6Network } : {}),
          enableNFTables: network.enableNFTables ?? false,
          backend: network.backend,
        },
        allowUnpinned: c.downloads?.allowUnpinned === true,
        ...(c.delivery?.publishURL ? { publishURL: c.delivery.publishURL } : {}),
        ...(serveGroup ? { serveGroup } : {}),
        ...(c.delivery?.bootAssets ? { bootAssets: c.delivery.bootAssets } : {}),
        ...(c.delivery?.bootLoaders ? { bootLoaders: c.delivery.bootLoaders } : {}),
        defaultBoot: c.delivery?.defaultBoot ?? 'local',
        ...(c.acknowledge?.length ? { acknowledge: c.acknowledge } : {}),
        credentials,
        origin: cluster.doc.locate(['name']),
      },
      nodes,
      templates,
    },
    diagnostics,
  };
}

/** `network` merges key by key (defaults < role < node); a node without addresses keeps DHCP. */
function resolveNetwork(
  layers: readonly (NetworkSpec | undefined)[],
  iface: string | undefined,
  node: ValidatedProfile['nodes'][number],
  diagnostics: Diagnostic[],
): { network?: ResolvedNetwork } {
  const spec: NetworkSpec = Object.assign({}, ...layers.filter((l) => l !== undefined));
  if (!spec.addresses?.length) return {};
  const name = spec.name ?? iface;
  if (name === undefined) {
    diagnostics.push({
      code: 'schema/missing-key',
      severity: 'error',
      message: `node '${node.value.name}' has static addresses but no interface name`,
      hint: 'set network.name (or the node\'s interface) to the NIC name the node sees, e.g. ens3',
      location: node.doc.locate(['name']),
    });
    return {};
  }
  return {
    network: {
      name,
      ...(spec.mac ? { mac: spec.mac.toLowerCase().replace(/-/g, ':') } : {}),
      addresses: spec.addresses,
      ...(spec.gateway ? { gateway: spec.gateway } : {}),
      ...(spec.gateway6 ? { gateway6: spec.gateway6 } : {}),
      nameservers: spec.nameservers ?? [],
      search: spec.search ?? [],
    },
  };
}

/** Paths that are read-only on each OS: all of /usr on Flatcar; /usr except the /var-backed /usr/local on FCOS. */
function readOnlyOn(os: OsName, path: string): boolean {
  if (os === 'flatcar') return path === '/usr' || path.startsWith('/usr/');
  if (os === 'fcos') return (path === '/usr' || path.startsWith('/usr/')) && !path.startsWith('/usr/local/');
  return false;
}

/**
 * A role's (or the cluster defaults') file, unit or user resolves to the same entry in every node
 * that has it: it is resolved once per project and the nodes share the one object (which is what
 * lets the stages after resolve, and a node's input digest, do their work once per entry). Keyed by
 * the profile's own entry object and its place (a YAML alias can put one object in two places,
 * which must keep their own origins). A file resolves differently per OS (its read-only check),
 * and one that raised a diagnostic is resolved again for each node, which reports it as before.
 */
class SharedEntries {
  private readonly entries = new WeakMap<object, Map<string, unknown>>();

  once<T extends { readonly origin: SourceLocation }>(source: { readonly value: object; readonly origin: SourceLocation }, resolve: () => T): T {
    return this.remembered(source.value, placeOf(source.origin), resolve, () => true);
  }

  file(file: Sourced<FileSpec>, os: OsName, resolve: () => ResolvedFile | undefined, diagnostics: readonly Diagnostic[]): ResolvedFile | undefined {
    const before = diagnostics.length;
    return this.remembered(file.value, `${os}\0${placeOf(file.origin)}`, resolve, (entry) => entry !== undefined && diagnostics.length === before);
  }

  private remembered<T>(source: object, key: string, resolve: () => T, keep: (entry: T) => boolean): T {
    let byKey = this.entries.get(source);
    if (byKey?.has(key)) return byKey.get(key) as T;
    const entry = resolve();
    if (keep(entry)) {
      if (byKey === undefined) this.entries.set(source, (byKey = new Map()));
      byKey.set(key, entry);
    }
    return entry;
  }
}

const placeOf = (origin: SourceLocation): string => `${origin.file}\0${origin.line}\0${origin.column}`;

/**
 * `contents.local` files by the entry that names them: a role's file is read, and reported when it
 * cannot be, once rather than once for every node of the role.
 */
interface LocalContents {
  readonly roots: LocalFileRoots;
  readonly byReference: Map<string, FileContents | undefined>;
}

function localContents(file: Sourced<FileSpec>, local: LocalContents, diagnostics: Diagnostic[]): FileContents | undefined {
  const { value, doc, path } = file;
  const key = `${doc.file.path}\u0000${doc.index}\u0000${path.join('\u0000')}`;
  if (local.byReference.has(key)) return local.byReference.get(key);
  const read = local.roots.read(resolvePath(dirname(doc.file.path), value.contents.local!));
  let contents: FileContents | undefined;
  if (read.ok) {
    const text = read.data.toString('utf8');
    contents = Buffer.from(text, 'utf8').equals(read.data) ? { kind: 'inline', text } : { kind: 'bytes', data: new Uint8Array(read.data) };
  } else {
    diagnostics.push({
      code: read.code,
      severity: 'error',
      message: `cannot read local file '${value.contents.local}': ${read.reason}`,
      hint: localReadHint(read.code, 'local files', 'local paths are relative to the profile file that names them'),
      location: doc.locate([...path, 'contents', 'local']),
      path: [...path, 'contents', 'local'],
    });
  }
  local.byReference.set(key, contents);
  return contents;
}

/** Where a remote profile file without its own sha512 may find one: the lock file `kindling lock` writes. */
interface FilePins {
  readonly lock: LockedHashes;
  readonly allowUnpinned: boolean;
}

function resolveFile(file: Sourced<FileSpec>, os: OsName, pins: FilePins, local: LocalContents, diagnostics: Diagnostic[]): ResolvedFile | undefined {
  const { value, doc, path } = file;
  if (readOnlyOn(os, value.path)) {
    diagnostics.push({
      code: 'file/read-only-path',
      severity: 'warning',
      message: `${value.path} is under /usr, which is read-only on ${os === 'flatcar' ? 'Flatcar' : 'Fedora CoreOS'}`,
      hint: os === 'flatcar' ? 'use /opt or /etc on Flatcar (binaries go to /opt/bin)' : 'use /usr/local, /opt or /etc on Fedora CoreOS',
      location: doc.locate([...path, 'path']),
      path: [...path, 'path'],
    });
  }
  let contents: FileContents;
  if (value.contents.inline !== undefined) {
    contents = { kind: 'inline', text: value.contents.inline };
  } else if (value.contents.local !== undefined) {
    const read = localContents(file, local, diagnostics);
    if (!read) return undefined;
    contents = read;
  } else {
    const url = value.contents.url!;
    // The profile's own sha512 wins; else the lock file's pin (kindling lock lists remote files too).
    const sha512 = value.contents.sha512 ?? pins.lock.get(url)?.sha512;
    if (!sha512) {
      diagnostics.push({
        code: 'artifact/unpinned',
        severity: pins.allowUnpinned ? 'warning' : 'error',
        message: pins.allowUnpinned ? `UNPINNED download: ${url} will be fetched at first boot without a hash check (allowUnpinned is set)` : `${url} has no sha512`,
        hint: pins.allowUnpinned
          ? 'run `kindling lock` to pin it, then remove downloads.allowUnpinned'
          : 'add sha512 next to the url (sha512sum prints it), or run `kindling lock` to pin it in the lock file',
        location: doc.locate([...path, 'contents', 'url']),
        path: [...path, 'contents', 'url'],
      });
      if (!pins.allowUnpinned) return undefined;
    }
    contents = { kind: 'remote', download: { component: 'file', url, ...(sha512 ? { sha512 } : {}), origin: doc.locate([...path, 'contents', 'url']) } };
  }
  const mode = value.mode === undefined ? 0o644 : parseMode(value.mode).mode ?? 0o644;
  return {
    path: value.path,
    mode,
    owner: value.owner ?? 'root',
    group: value.group ?? value.owner ?? 'root',
    contents,
    origin: file.origin,
  };
}

/**
 * Flatcar's Butane variant stops at Ignition 3.4.0 (flatcar 1.1.0); fcos 1.6.0 gives 3.5.0. An
 * Ignition version no Butane version of the node's OS produces is an error at the layer that set it.
 */
function ignitionVersionFits(os: OsName, version: string | undefined, layers: readonly Layer[], node: string, diagnostics: Diagnostic[]): boolean {
  if (os !== 'flatcar' || version === undefined || version !== '3.5.0') return true;
  const layer = [...layers].reverse().find((l) => l.settings.ignition?.version !== undefined)!;
  diagnostics.push({
    code: 'node/ignition-version',
    severity: 'error',
    message: `node '${node}' runs flatcar, whose Butane variant produces Ignition 3.3.0 (flatcar 1.0.0) or 3.4.0 (flatcar 1.1.0), not ${version}`,
    hint: 'use ignition.version 3.4.0 for flatcar nodes; 3.5.0 (fcos 1.6.0) is for fcos',
    location: layer.doc.locate([...layer.base, 'ignition', 'version']),
  });
  return false;
}
