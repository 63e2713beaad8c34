/**
 * The resolved project: cluster settings, and every node with its role and the cluster defaults
 * merged in, artifacts chosen and secrets loaded. This is what the plan stage consumes; it holds
 * no YAML and does no I/O.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { Arch, BackendSpec, BootAssetsSpec, BootLoader, DefaultBoot, FlatcarChannel, IgnitionVersion, OsName, Platform } from '../validate/profile-types.ts';

export type ArtifactComponent = 'flanneld' | 'flannel-cni-plugin' | 'cni-plugins';

/** A file fetched at first boot. `sha512` is absent only when the profile allows unpinned downloads. */
export interface Download {
  readonly component: ArtifactComponent | 'file';
  readonly url: string;
  readonly sha512?: string;
  readonly sha256?: string;
  readonly origin?: SourceLocation;
}

export interface NodeArtifacts {
  readonly flanneld: Download;
  readonly cniPlugin: Download;
  readonly cniPlugins: Download & { readonly members: readonly string[] };
}

export type FileContents =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'bytes'; readonly data: Uint8Array }
  | { readonly kind: 'remote'; readonly download: Download };

export interface ResolvedFile {
  readonly path: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
  readonly contents: FileContents;
  readonly origin: SourceLocation;
}

interface ResolvedUnit {
  readonly name: string;
  readonly enabled?: boolean;
  readonly mask?: boolean;
  readonly contents?: string;
  readonly dropins: readonly { readonly name: string; readonly contents: string }[];
  readonly origin: SourceLocation;
}

interface ResolvedUser {
  readonly name: string;
  readonly sshAuthorizedKeys: readonly string[];
  readonly groups: readonly string[];
  readonly shell?: string;
  readonly origin: SourceLocation;
}

export interface ResolvedNode {
  readonly name: string;
  readonly role?: string;
  readonly os: OsName;
  readonly arch: Arch;
  readonly platform: Platform;
  readonly interface?: string;
  readonly ip?: string;
  readonly ipv6?: string;
  readonly macs: readonly string[];
  /** SMBIOS system UUID, lower-case (iPXE's ${uuid} form). */
  readonly uuid?: string;
  /** SMBIOS system serial number. */
  readonly serial?: string;
  /** cloud-init nodes: meta-data's instance-id is iid-<node>, whatever the config (cloudInit.instanceId: node). */
  readonly stableInstanceId?: true;
  /** Install to disk on a PXE boot; absent: the PXE boot runs the live image. */
  readonly install?: ResolvedInstall;
  readonly ignitionVersion: IgnitionVersion;
  readonly flannel: {
    readonly ipMasq: boolean;
    readonly healthz: { readonly address: string; readonly port: number };
    readonly extraArgs: readonly string[];
  };
  /** flannel metrics on the node (resolve/flannel-monitoring.ts); absent: switched off. */
  readonly flannelMetrics?: ResolvedFlannelMetrics;
  readonly users: readonly ResolvedUser[];
  readonly files: readonly ResolvedFile[];
  readonly units: readonly ResolvedUnit[];
  readonly artifacts: NodeArtifacts;
  /** Static addressing for NoCloud network-config; absent when the node uses DHCP. */
  readonly network?: ResolvedNetwork;
  /** Where the node is defined (its `name` key). */
  readonly origin: SourceLocation;
}

/** Where a node's flannel metrics go: a socket-activated endpoint (ListenStream= value) or a node-exporter textfile folder. */
export type ResolvedFlannelMetrics = { readonly kind: 'socket'; readonly listen: string } | { readonly kind: 'textfile'; readonly dir: string };

/** Install to disk (defaults < role < node, key by key). */
export interface ResolvedInstall {
  /** Absolute device path, e.g. /dev/sda. */
  readonly disk: string;
  /** flatcar-install's image source; only flatcar nodes use it. */
  readonly flatcar: { readonly channel: FlatcarChannel; readonly version: string; readonly baseURL?: string };
  /** The last `install` block that set a key. */
  readonly origin: SourceLocation;
}

/** The node's primary NIC with static addresses (defaults < role < node, key by key). */
export interface ResolvedNetwork {
  /** Interface name on the node (the `network.name`, else the node's `interface`). */
  readonly name: string;
  /** Lower-case colon form; when set the NIC is matched by MAC and renamed to `name`. */
  readonly mac?: string;
  /** Address/prefix pairs, e.g. 10.0.0.21/24. */
  readonly addresses: readonly string[];
  readonly gateway?: string;
  readonly gateway6?: string;
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
}

/** Secret values: never printed, never in diagnostics; written only to 0600 files. */
export interface ClusterCredentials {
  readonly caPem: string;
  readonly auth: { readonly token: string } | { readonly clientCertificatePem: string; readonly clientKeyPem: string };
}

export interface ResolvedCluster {
  readonly name: string;
  readonly apiServer: string;
  readonly clusterCIDR: string;
  readonly clusterCIDRv6?: string;
  readonly flannel: {
    readonly version: string;
    readonly network: string;
    readonly ipv6Network?: string;
    readonly enableNFTables: boolean;
    readonly backend: BackendSpec;
  };
  readonly allowUnpinned: boolean;
  readonly publishURL?: string;
  /** The group that may read the output (delivery.serveGroup), looked up on this machine. */
  readonly serveGroup?: { readonly name: string; readonly gid: number };
  /** PXE boot assets as the profile gives them; render/pxe fills in the defaults. */
  readonly bootAssets?: Readonly<BootAssetsSpec>;
  /** delivery.bootLoaders as given, in order of preference; absent: the default choice (render/pxe). */
  readonly bootLoaders?: readonly BootLoader[];
  /** Warnings the project accepts (Cluster.acknowledge), applied to every stage's diagnostics. */
  readonly acknowledge?: readonly { readonly code: string; readonly reason: string }[];
  /** What boot.ipxe does for a machine no node matches. */
  readonly defaultBoot: DefaultBoot;
  readonly credentials: ClusterCredentials;
  readonly origin: SourceLocation;
}

export interface Project {
  /** The profile directory the project was loaded from. */
  readonly dir: string;
  readonly cluster: ResolvedCluster;
  readonly nodes: readonly ResolvedNode[];
  /** Template name → Handlebars source (the built-in ones, overridden by the project's templates/). */
  readonly templates: Readonly<Record<string, string>>;
}
