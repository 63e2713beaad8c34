/**
 * Facts about the URLs boot loaders fetch, needed both to validate delivery settings and to render
 * the boot entries (so they live here, before render): where the kernels and initrds lie, and
 * whether GRUB can reach them. GRUB has no TLS, and upstream GRUB up to 2.06 (Debian 12) connects
 * to port 80 whatever port a URL names.
 */
import type { BootAssetsSpec } from './profile-types.ts';

/** A base URL with exactly one trailing slash, so names join onto it. */
export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The base URL every kernel and initrd URL of the boot entries starts with. */
export function assetBaseURL(bootAssets: BootAssetsSpec | undefined, publishURL: string): string {
  return withSlash(bootAssets?.baseURL ?? `${withSlash(publishURL)}assets/`);
}

/** Why GRUB 2.06 could not fetch files under this URL, or undefined when it can. */
export function grubUnreachable(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') return `${url} is ${parsed.protocol.slice(0, -1)}, and GRUB fetches over plain http only`;
  if (parsed.port !== '' && parsed.port !== '80') return `${url} is on port ${parsed.port}, and GRUB 2.06 (Debian 12) connects to port 80 whatever the URL says`;
  return undefined;
}
