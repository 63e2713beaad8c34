/**
 * dnsmasq snippet: tags from option 93 and from iPXE's user class / option 175, then one dhcp-boot
 * per tag. Each dhcp-boot excludes iPXE's tag, because iPXE sends option 93 too and must get
 * boot.ipxe rather than itself again. No dhcp-range: the site's dnsmasq owns addressing.
 */
import { HTTP_CLIENT_VENDOR_CLASS, IPXE_TAG, tftpLayoutNote, type DhcpBootChoices } from './boot-choices.ts';

export function dnsmasqConf(choices: DhcpBootChoices): string {
  const lines = [
    `# kindling: DHCP boot options for cluster ${choices.cluster} (dnsmasq: conf-file= or a file in /etc/dnsmasq.d/).`,
    '# No dhcp-range here: the site owns addressing (dhcp-range, enable-tftp, tftp-root).',
    ...tftpLayoutNote(choices).map((line) => `# ${line}`),
  ];
  const ipxe = choices.ipxeScript !== undefined;
  if (ipxe) lines.push(`dhcp-match=set:${IPXE_TAG},175`, `dhcp-userclass=set:${IPXE_TAG},iPXE`);
  for (const arch of choices.arches) {
    for (const code of arch.archs) lines.push(`dhcp-match=set:${arch.name},option:client-arch,${code}`);
  }
  if (ipxe) lines.push(`dhcp-boot=tag:${IPXE_TAG},${choices.ipxeScript}`);
  for (const arch of choices.arches) {
    const tags = `${ipxe ? `tag:!${IPXE_TAG},` : ''}tag:${arch.name}`;
    lines.push(`dhcp-boot=${tags},${arch.bootFile}`);
    if (arch.httpBoot) lines.push(`dhcp-option-force=${tags},60,${HTTP_CLIENT_VENDOR_CLASS}`);
  }
  return `${lines.join('\n')}\n`;
}
