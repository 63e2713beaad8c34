/**
 * Delivery settings: values that end up inside iPXE, GRUB and pxelinux scripts or NoCloud
 * network-config. iPXE has no quoting at all (`${...}` expands anywhere), GRUB expands `$name` and
 * splits on `;`, pxelinux takes the APPEND line verbatim: so anything that could be read as syntax
 * is rejected here instead of escaped later.
 */
import type { DocPath } from '../parse/parse-document.ts';
import type { BootAssetNames, ClusterDoc, NetworkSpec } from './profile-types.ts';
import type { Report } from './check-settings.ts';
import { interfaceNameProblem, ipFamily, normaliseMac, parseCidr } from './net.ts';
import { urlProblem } from './urls.ts';
import { assetBaseURL, grubUnreachable } from './boot-urls.ts';

/** Beyond urls.ts: `$` (GRUB variables), `;` (GRUB statement end), `&&`/`||` (iPXE command chains). */
const SCRIPT_SYNTAX = /[$;]|&&|\|\|/;

/** A host GRUB can name in `(http,<host>)`: a DNS name, an IPv4 address or a bracketed IPv6 address. */
const BOOT_HOST = /^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/;

/**
 * Why a URL cannot go into a boot script, or undefined. Plain http is fine: stock iPXE speaks
 * nothing else. These URLs are bases that kindling appends paths to (nodes/<node>/config.ign,
 * asset names), so a query or fragment would swallow the appended path.
 */
function bootUrlProblem(text: string): { code: 'url/invalid' | 'url/insecure' | 'url/unsafe'; message: string; hint: string } | undefined {
  const problem = urlProblem(text, { allowHttp: true });
  if (problem) return problem;
  const syntax = SCRIPT_SYNTAX.exec(text);
  if (syntax) {
    return { code: 'url/unsafe', message: `URL contains ${JSON.stringify(syntax[0])}, which boot scripts would read as syntax`, hint: 'percent-encode the character (e.g. $ as %24, ; as %3B)' };
  }
  const unencoded = /[^\x21-\x7e]/.exec(text);
  if (unencoded) {
    return { code: 'url/unsafe', message: `URL contains ${JSON.stringify(unencoded[0])}, which boot loaders would send as raw bytes`, hint: 'percent-encode the character as its UTF-8 bytes (e.g. ä as %C3%A4)' };
  }
  const part = /[?#]/.exec(text);
  if (part) {
    return {
      code: 'url/invalid',
      message: `'${text}' has a ${part[0] === '?' ? 'query' : 'fragment'}, which the paths kindling appends to this base URL would end up in`,
      hint: `end the URL with its folder path; percent-encode a '${part[0]}' that belongs to a folder name (${part[0] === '?' ? '%3F' : '%23'})`,
    };
  }
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') {
    return { code: 'url/invalid', message: `'${url.host}' is given with credentials, which GRUB cannot send and every boot script would show`, hint: 'serve boot files without authentication, or restrict the server by network' };
  }
  const host = url.hostname;
  if (!BOOT_HOST.test(host)) {
    return { code: 'url/invalid', message: `the host '${host}' is not a DNS name or IP address`, hint: 'GRUB names the server as (http,<host>): use letters, digits, - and . (or an IP address)' };
  }
  return undefined;
}

/** A kernel argument: one printable word without quotes, `$`, `;`, braces, backslashes or pipes. */
function kernelArgProblem(arg: string): string | undefined {
  if (!/^[!-~]+$/.test(arg)) return 'contains whitespace or non-ASCII characters';
  // iPXE reads a word that starts with '#' as the start of a comment.
  if (arg.startsWith('#')) return "starts with '#', which iPXE reads as a comment";
  const bad = /["'`\\${}|;&<>]/.exec(arg);
  if (bad) return `contains ${JSON.stringify(bad[0])}, which iPXE, GRUB or pxelinux would read as syntax`;
  return undefined;
}

/** A boot-asset name relative to the base URL: no absolute paths, no `..`. */
function assetNameProblem(name: string): string | undefined {
  if (name.startsWith('/')) return 'must be relative to bootAssets.baseURL';
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'must not contain empty, . or .. path parts';
  return undefined;
}

export function checkDelivery(delivery: ClusterDoc['delivery'], report: Report): void {
  if (!delivery) return;
  const base = ['delivery'];
  // publishURL itself is checked in check-cluster.ts (url rules); it also reaches scripts, so add the script rules.
  if (delivery.publishURL !== undefined && !urlProblem(delivery.publishURL, { allowHttp: true })) {
    const problem = bootUrlProblem(delivery.publishURL);
    if (problem) report({ severity: 'error', ...problem }, [...base, 'publishURL']);
  }
  const grubAt = delivery.bootLoaders?.indexOf('grub') ?? -1;
  if (grubAt >= 0 && delivery.publishURL !== undefined && !urlProblem(delivery.publishURL, { allowHttp: true }) && (delivery.bootAssets?.baseURL === undefined || !bootUrlProblem(delivery.bootAssets.baseURL))) {
    const why = grubUnreachable(assetBaseURL(delivery.bootAssets, delivery.publishURL));
    if (why) {
      report(
        { code: 'delivery/grub-unreachable', severity: 'error', message: `bootLoaders lists grub, but GRUB cannot fetch the boot assets: ${why}`, hint: 'serve the boot assets over http on port 80 (bootAssets.baseURL: http://<host>/…), or remove grub from bootLoaders' },
        [...base, 'bootLoaders', grubAt],
      );
    }
  }
  const assets = delivery.bootAssets;
  if (!assets) return;
  if (assets.baseURL !== undefined) {
    const problem = bootUrlProblem(assets.baseURL);
    if (problem) report({ severity: 'error', ...problem }, [...base, 'bootAssets', 'baseURL']);
  }
  for (const os of ['flatcar', 'fcos', 'cloudInit', 'autoinstall'] as const) {
    const names: (BootAssetNames & { rootfs?: string; iso?: string }) | undefined = assets[os];
    if (!names) continue;
    for (const key of ['kernel', 'initrd', 'rootfs', 'iso'] as const) {
      const name = names[key];
      if (name === undefined) continue;
      const problem = assetNameProblem(name);
      if (problem) report({ code: 'url/invalid', severity: 'error', message: `boot asset '${name}' ${problem}`, hint: 'write a path under the base URL, e.g. flatcar/amd64/flatcar_production_pxe.vmlinuz' }, [...base, 'bootAssets', os, key]);
    }
    names.kernelArgs?.forEach((arg, i) => {
      const problem = kernelArgProblem(arg);
      if (problem) report({ code: 'url/unsafe', severity: 'error', message: `kernel argument '${arg}' ${problem}`, hint: 'give one argument per list item, e.g. console=ttyS0,115200n8' }, [...base, 'bootAssets', os, 'kernelArgs', i]);
    });
  }
}

export function checkNetwork(network: NetworkSpec | undefined, base: DocPath, report: Report): void {
  if (!network) return;
  const at = [...base, 'network'];
  if (network.mac !== undefined && !normaliseMac(network.mac)) {
    report({ code: 'node/invalid-mac', severity: 'error', message: `'${network.mac}' is not a MAC address`, hint: 'write six hex pairs separated by colons, e.g. 52:54:00:12:34:56' }, [...at, 'mac']);
  }
  if (network.name !== undefined) {
    const problem = interfaceNameProblem(network.name);
    if (problem) report({ code: 'node/invalid-interface', severity: 'error', message: `interface name '${network.name}' ${problem}`, hint: 'use the NIC name as `ip link` shows it, e.g. ens3' }, [...at, 'name']);
  }
  network.addresses?.forEach((address, i) => {
    if (!parseCidr(address)) {
      report({ code: 'node/invalid-ip', severity: 'error', message: `'${address}' is not an address with a prefix length`, hint: 'write it like 10.0.0.21/24 or fd00::21/64' }, [...at, 'addresses', i]);
    }
  });
  for (const [key, family] of [['gateway', 4], ['gateway6', 6]] as const) {
    const gateway = network[key];
    if (gateway === undefined) continue;
    const actual = ipFamily(gateway);
    if (actual !== family) {
      report(
        { code: actual ? 'net/wrong-family' : 'node/invalid-ip', severity: 'error', message: `${key} '${gateway}' is not an IPv${family} address`, hint: family === 4 ? 'e.g. 10.0.0.1' : 'e.g. fd00::1' },
        [...at, key],
      );
    }
  }
  network.nameservers?.forEach((server, i) => {
    if (!ipFamily(server)) report({ code: 'node/invalid-ip', severity: 'error', message: `nameserver '${server}' is not an IP address`, hint: 'e.g. 10.0.0.1' }, [...at, 'nameservers', i]);
  });
  network.search?.forEach((domain, i) => {
    if (!/^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\.?$/.test(domain)) {
      report({ code: 'schema/pattern', severity: 'error', message: `search domain '${domain}' is not a DNS name`, hint: 'e.g. lab.example.com' }, [...at, 'search', i]);
    }
  });
}
