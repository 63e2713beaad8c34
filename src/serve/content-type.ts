/**
 * The Content-Type of a served file, from its name and place in out/<cluster>/: what each boot
 * program expects (Ignition's own media type for configs, text for cloud-init's seed files and the
 * boot scripts), and plain bytes for everything else (images, kernels, ISOs).
 */
const TEXT = 'text/plain; charset=utf-8';
const OCTETS = 'application/octet-stream';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.ign': 'application/vnd.coreos.ignition+json',
  '.json': 'application/json',
  '.ipxe': TEXT,
  '.bu': TEXT,
  '.cfg': TEXT,
  '.conf': TEXT,
  '.txt': TEXT,
  '.yaml': TEXT,
  '.yml': TEXT,
  '.sh': TEXT,
};

/** cloud-init's NoCloud seed files carry no extension. */
const SEED_FILES = new Set(['user-data', 'meta-data', 'network-config', 'vendor-data']);

/** GRUB's and pxelinux' per-MAC entries carry no extension either; they live in these folders. */
const SCRIPT_FOLDERS = ['pxe/grub/', 'pxe/pxelinux.cfg/'];

/** @param path relative to the served folder, '/'-separated */
export function contentTypeOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (SEED_FILES.has(name)) return TEXT;
  if (SCRIPT_FOLDERS.some((folder) => path.startsWith(folder))) return TEXT;
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? BY_EXTENSION[name.slice(dot).toLowerCase()] : undefined) ?? OCTETS;
}
