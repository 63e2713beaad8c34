/**
 * What a DHCP server should answer, per client: iPXE itself gets the cluster's boot.ipxe; PXE
 * firmware gets the iPXE binary for its architecture (DHCP option 93, IANA "Processor Architecture
 * Types": 0 BIOS, 7 and 9 x86-64 UEFI, 11 arm64 UEFI); UEFI HTTP-boot firmware (16 x86-64, 19
 * arm64) gets that binary by URL and must see vendor class "HTTPClient" in the answer, or it
 * ignores the offer.
 *
 * Binary names: undionly.kpxe and ipxe.efi are the names Debian's ipxe package installs. Debian 12
 * ships no arm64 iPXE, so ipxe-arm64.efi is the name we ask the site to give iPXE's
 * bin-arm64-efi/ipxe.efi build.
 */
import type { ResolvedCluster } from '../../resolve/project-model.ts';
import { withSlash } from '../pxe/boot-assets.ts';

interface ArchChoice {
  /** The tag or class name, unique among the choices (prefixed, so it cannot clash with the site's own). */
  readonly name: string;
  /** Option 93 values this choice answers. */
  readonly archs: readonly number[];
  /** A TFTP file name, or an http URL for HTTP-boot clients. */
  readonly bootFile: string;
  /** HTTP-boot firmware: the answer must carry vendor class (option 60) "HTTPClient". */
  readonly httpBoot: boolean;
}

export interface DhcpBootChoices {
  readonly cluster: string;
  /** What iPXE (user class "iPXE", or option 175 present) is sent to. */
  readonly ipxeScript: string;
  readonly arches: readonly ArchChoice[];
}

export const HTTP_CLIENT_VENDOR_CLASS = 'HTTPClient';
export const IPXE_TAG = 'kindling-ipxe';

/**
 * Characters a URL may keep inside every snippet format: dnsmasq splits on `,` and reads `#` as a
 * comment, dhcpd strings end at `"` and read `\` as an escape. The URLs passed check-delivery.ts's
 * boot-URL rules (printable ASCII, no `$`, `;`, query or fragment); anything outside this set is
 * percent-encoded, which a web server decodes back to the same path.
 */
function dhcpSafeUrl(url: string): string {
  // A literal here, not a module-level /g regex, whose lastIndex would be state shared by every call.
  return url.replace(/[^A-Za-z0-9\-._~:/@!&()*+=%[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function dhcpBootChoices(cluster: Pick<ResolvedCluster, 'name' | 'bootAssets'>, publishURL: string): DhcpBootChoices {
  const assets = withSlash(cluster.bootAssets?.baseURL ?? `${withSlash(publishURL)}assets/`);
  const url = (path: string): string => dhcpSafeUrl(assets + path);
  return {
    cluster: cluster.name,
    ipxeScript: dhcpSafeUrl(`${withSlash(publishURL)}pxe/boot.ipxe`),
    arches: [
      { name: 'kindling-bios', archs: [0], bootFile: 'undionly.kpxe', httpBoot: false },
      { name: 'kindling-x86-64-efi', archs: [7, 9], bootFile: 'ipxe.efi', httpBoot: false },
      { name: 'kindling-arm64-efi', archs: [11], bootFile: 'ipxe-arm64.efi', httpBoot: false },
      { name: 'kindling-x86-64-http', archs: [16], bootFile: url('ipxe/ipxe.efi'), httpBoot: true },
      { name: 'kindling-arm64-http', archs: [19], bootFile: url('ipxe/ipxe-arm64.efi'), httpBoot: true },
    ],
  };
}

/** The first comment lines every snippet shares: only the cluster name, which is a validated DNS label. */
export const TFTP_FILES_NOTE = "undionly.kpxe and ipxe.efi (Debian's ipxe package) and ipxe-arm64.efi (built from iPXE)";
