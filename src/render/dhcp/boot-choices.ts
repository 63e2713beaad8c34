/**
 * What a DHCP server should answer, per client: iPXE itself gets the cluster's boot.ipxe; PXE
 * firmware gets, for its architecture (DHCP option 93, IANA "Processor Architecture Types": 0 BIOS,
 * 7 and 9 x86-64 UEFI, 11 arm64 UEFI), the first of the chosen boot loaders (delivery.bootLoaders)
 * that runs there; UEFI HTTP-boot firmware (16 x86-64, 19 arm64) gets iPXE by URL and must see
 * vendor class "HTTPClient" in the answer, or it ignores the offer.
 *
 * Binary names: undionly.kpxe and ipxe.efi are the names Debian's ipxe package installs. Debian 12
 * ships no arm64 iPXE, so ipxe-arm64.efi is the name we ask the site to give iPXE's
 * bin-arm64-efi/ipxe.efi build. GRUB: Debian's signed network images grubnetx64.efi.signed and
 * grubnetaa64.efi.signed, renamed to the names shim and firmware look for (grubx64.efi,
 * grubaa64.efi); they take (tftp)/grub as their prefix. pxelinux: lpxelinux.0, which speaks http.
 */
import type { ResolvedCluster } from '../../resolve/project-model.ts';
import type { BootLoader } from '../../validate/profile-types.ts';
import { assetBaseURL, withSlash } from '../../validate/boot-urls.ts';

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
  /** What iPXE (user class "iPXE", or option 175 present) is sent to; absent when iPXE is not a chosen loader. */
  readonly ipxeScript?: string;
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

/** The loaders that can boot each client class, with the file each hands out. */
const LOADER_FILES: Readonly<Record<BootLoader, Readonly<Partial<Record<ArchClass, string>>>>> = Object.freeze({
  ipxe: { bios: 'undionly.kpxe', 'x86-64-efi': 'ipxe.efi', 'arm64-efi': 'ipxe-arm64.efi', 'x86-64-http': 'ipxe/ipxe.efi', 'arm64-http': 'ipxe/ipxe-arm64.efi' },
  // Debian's grub-efi-amd64-signed / grub-efi-arm64-signed grubnet*.efi.signed, under these names.
  grub: { 'x86-64-efi': 'grubx64.efi', 'arm64-efi': 'grubaa64.efi' },
  // lpxelinux.0 (Debian's pxelinux package), not pxelinux.0: it fetches http:// URLs.
  pxelinux: { bios: 'lpxelinux.0' },
});

type ArchClass = 'bios' | 'x86-64-efi' | 'arm64-efi' | 'x86-64-http' | 'arm64-http';

const ARCH_CLASSES: readonly { readonly arch: ArchClass; readonly codes: readonly number[] }[] = Object.freeze([
  { arch: 'bios', codes: [0] },
  { arch: 'x86-64-efi', codes: [7, 9] },
  { arch: 'arm64-efi', codes: [11] },
  { arch: 'x86-64-http', codes: [16] },
  { arch: 'arm64-http', codes: [19] },
]);

/** Each client class gets the first chosen loader that can boot it; a class none can boot is left out. */
export function dhcpBootChoices(cluster: Pick<ResolvedCluster, 'name' | 'bootAssets'>, publishURL: string, loaders: readonly BootLoader[]): DhcpBootChoices {
  const assets = assetBaseURL(cluster.bootAssets, publishURL);
  const arches: ArchChoice[] = [];
  for (const { arch, codes } of ARCH_CLASSES) {
    const loader = loaders.find((l) => LOADER_FILES[l][arch] !== undefined);
    if (loader === undefined) continue;
    const file = LOADER_FILES[loader][arch]!;
    const httpBoot = arch.endsWith('-http');
    arches.push({ name: `kindling-${arch}`, archs: codes, bootFile: httpBoot ? dhcpSafeUrl(assets + file) : file, httpBoot });
  }
  return {
    cluster: cluster.name,
    ...(loaders.includes('ipxe') ? { ipxeScript: dhcpSafeUrl(`${withSlash(publishURL)}pxe/boot.ipxe`) } : {}),
    arches,
  };
}

const TFTP_FILE_SOURCES: Readonly<Record<string, string>> = Object.freeze({
  'undionly.kpxe': "Debian's ipxe package",
  'ipxe.efi': "Debian's ipxe package",
  'ipxe-arm64.efi': "iPXE's bin-arm64-efi/ipxe.efi",
  'grubx64.efi': "grubnetx64.efi.signed from Debian's grub-efi-amd64-signed",
  'grubaa64.efi': "grubnetaa64.efi.signed from Debian's grub-efi-arm64-signed",
  'lpxelinux.0': "Debian's pxelinux package, with ldlinux.c32 from syslinux-common beside it",
});

/**
 * The comment lines every snippet shares on what the TFTP root must hold: the binaries handed out,
 * and where GRUB and pxelinux look for their entries (beside themselves: grub/ is the prefix
 * Debian's grubnet images are built with, pxelinux.cfg/ is next to lpxelinux.0), and the http
 * module those GRUB images lack.
 */
export function tftpLayoutNote(choices: DhcpBootChoices): string[] {
  const files = [...new Set(choices.arches.filter((a) => !a.httpBoot).map((a) => a.bootFile))];
  const lines = ['The TFTP root holds:', ...files.map((file) => `  ${file}  (${TFTP_FILE_SOURCES[file]})`)];
  if (files.includes('grubx64.efi') || files.includes('grubaa64.efi')) {
    lines.push("  grub/  a copy of out/<cluster>/pxe/grub/ (GRUB's prefix: it reads grub/grub.cfg)");
    // Debian's signed netboot images have no http module built in; GRUB loads it from its prefix (not under Secure Boot).
    if (files.includes('grubx64.efi')) lines.push('  grub/x86_64-efi/http.mod  (grub-efi-amd64-bin: GRUB fetches the kernels over http with it)');
    if (files.includes('grubaa64.efi')) lines.push('  grub/arm64-efi/http.mod  (grub-efi-arm64-bin: GRUB fetches the kernels over http with it)');
  }
  if (files.includes('lpxelinux.0')) lines.push('  pxelinux.cfg/  a copy of out/<cluster>/pxe/pxelinux.cfg/');
  lines.push('Setting the TFTP root to out/<cluster>/pxe/ with the binaries added needs no copies: a build keeps files you add there.');
  return lines;
}
