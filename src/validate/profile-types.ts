/**
 * TypeScript view of schemas/profile.schema.json. Values of these types have passed the schema;
 * keep the two in step (a test compares the property names).
 */
export type OsName = 'flatcar' | 'fcos' | 'cloud-init';
export type Arch = 'amd64' | 'arm64';
export type Platform = 'metal' | 'qemu' | 'aws' | 'azure' | 'gcp' | 'openstack' | 'vmware';
type BackendType = 'vxlan' | 'host-gw' | 'wireguard' | 'udp' | 'ipip';
export type IgnitionVersion = '3.3.0' | '3.4.0' | '3.5.0';

export interface SecretRef {
  file?: string;
  env?: string;
}

export interface ArtifactSpec {
  url: string;
  sha512?: string;
  sha256?: string;
}

type PerArch = Partial<Record<Arch, ArtifactSpec>>;

export interface BackendSpec {
  type: BackendType;
  vni?: number;
  port?: number;
  gbp?: boolean;
  directRouting?: boolean;
  learning?: boolean;
  mtu?: number;
  listenPort?: number;
  listenPortV6?: number;
  psk?: string;
  persistentKeepaliveInterval?: number;
  mode?: 'separate' | 'auto' | 'ipv4' | 'ipv6';
}

export interface UserSpec {
  name: string;
  sshAuthorizedKeys?: string[];
  groups?: string[];
  shell?: string;
}

export interface FileSpec {
  path: string;
  mode?: number | string;
  owner?: string;
  group?: string;
  contents: { inline?: string; local?: string; url?: string; sha512?: string };
}

interface DropinSpec {
  name: string;
  contents: string;
}

export interface UnitSpec {
  name: string;
  enabled?: boolean;
  mask?: boolean;
  contents?: string;
  dropins?: DropinSpec[];
}

export interface NodeFlannelSpec {
  ipMasq?: boolean;
  healthz?: { address?: string; port?: number };
  extraArgs?: string[];
}

export interface NodeSettings {
  os?: OsName;
  arch?: Arch;
  interface?: string;
  platform?: Platform;
  ignition?: { version?: IgnitionVersion };
  cloudInit?: { instanceId?: 'config' | 'node' };
  flannel?: NodeFlannelSpec;
  users?: UserSpec[];
  files?: FileSpec[];
  units?: UnitSpec[];
  network?: NetworkSpec;
  install?: InstallSpec;
  monitoring?: { flannel?: FlannelMonitoringSpec };
}

/** flannel metrics on the node; `listen` and `textfileDir` exclude each other. */
export interface FlannelMonitoringSpec {
  enabled?: boolean;
  listen?: string;
  textfileDir?: string;
}

export type FlatcarChannel = 'stable' | 'beta' | 'alpha' | 'lts';

/** Install to disk on a PXE boot (absent: live boot). */
export interface InstallSpec {
  disk: string;
  flatcar?: { channel?: FlatcarChannel; version?: string; baseURL?: string };
}

/** Static addressing of the node's primary NIC (NoCloud network-config v2). */
export interface NetworkSpec {
  mac?: string;
  name?: string;
  addresses?: string[];
  gateway?: string;
  gateway6?: string;
  nameservers?: string[];
  search?: string[];
}

export interface BootAssetNames {
  kernel?: string;
  initrd?: string;
  kernelArgs?: string[];
}

/** Where PXE-booting nodes find their kernel and initrd: baseURL + name. */
export interface BootAssetsSpec {
  baseURL?: string;
  flatcar?: BootAssetNames;
  fcos?: BootAssetNames & { rootfs?: string };
  cloudInit?: BootAssetNames;
  /** Ubuntu's live-server installer (cloud-init nodes with `install`). */
  autoinstall?: BootAssetNames & { iso?: string };
}

export type BootLoader = 'ipxe' | 'grub' | 'pxelinux';
export type DefaultBoot = 'local' | 'fcos' | 'flatcar' | 'ubuntu-installer';

interface RbacSpec {
  namespace?: string;
  serviceAccount?: string;
  clusterRole?: string;
  clusterRoleBinding?: string;
  secretName?: string;
  clientCertificateUser?: string;
  upstreamRole?: boolean;
}

export interface ClusterDoc {
  apiVersion: 'kindling/v1';
  kind: 'Cluster';
  name: string;
  kubernetes: {
    apiServer: string;
    clusterCIDR: string;
    clusterCIDRv6?: string;
    credentials: { ca: SecretRef; token?: SecretRef; clientCertificate?: SecretRef; clientKey?: SecretRef };
    /** Names of the cluster-side objects `kindling rbac` writes (defaults in render/cluster/rbac.ts). */
    rbac?: RbacSpec;
  };
  flannel: {
    version: string;
    network: string;
    ipv6Network?: string;
    enableNFTables?: boolean;
    backend: BackendSpec;
    cniPlugin?: { version: string };
    cniPlugins?: { version: string };
    artifacts?: { flanneld?: PerArch; cniPlugin?: PerArch; cniPlugins?: PerArch };
  };
  downloads?: { mirror?: { url: string; allowHttp?: boolean }; allowUnpinned?: boolean; lockFile?: string };
  delivery?: {
    publishURL?: string;
    serveGroup?: string;
    bootAssets?: BootAssetsSpec;
    bootLoaders?: BootLoader[];
    defaultBoot?: DefaultBoot;
  };
  /** Warnings the project accepts, with a reason each (diagnostics/acknowledge.ts). */
  acknowledge?: { code: string; reason: string }[];
  /** Folders outside the project that `contents.local` may read from (resolve/local-files.ts). */
  localFiles?: { allow?: string[] };
  defaults?: NodeSettings;
}

export interface RoleDoc extends NodeSettings {
  apiVersion: 'kindling/v1';
  kind: 'Role';
  name: string;
}

export interface NodeDoc extends NodeSettings {
  apiVersion: 'kindling/v1';
  kind: 'Node';
  name: string;
  role?: string;
  ip?: string;
  ipv6?: string;
  macs?: string[];
  uuid?: string;
  serial?: string;
}
