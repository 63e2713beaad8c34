/**
 * ISC dhcpd snippet: one if/elsif chain on `option arch` (option 93, two bytes, compared as
 * 00:xx data), iPXE's user class first. Every string passed dhcpSafeUrl, so none holds `"` or `\`.
 */
import { HTTP_CLIENT_VENDOR_CLASS, tftpLayoutNote, type DhcpBootChoices } from './boot-choices.ts';

function archBytes(code: number): string {
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `${hex(code >> 8)}:${hex(code & 0xff)}`;
}

export function dhcpdConf(choices: DhcpBootChoices): string {
  const lines = [
    `# kindling: DHCP boot options for cluster ${choices.cluster} (ISC dhcpd: include "<this file>"; at the top level).`,
    '# No subnet or range here: the site owns addressing. Declare option arch only here, not again elsewhere.',
    ...tftpLayoutNote(choices).map((line) => `# ${line.replace('The TFTP root', 'The TFTP server (next-server)')}`),
    'option arch code 93 = unsigned integer 16;',
  ];
  const branches: string[][] = [];
  if (choices.ipxeScript !== undefined) branches.push(['exists user-class and option user-class = "iPXE"', `  filename "${choices.ipxeScript}";`]);
  for (const arch of choices.arches) {
    branches.push([
      arch.archs.map((code) => `option arch = ${archBytes(code)}`).join(' or '),
      ...(arch.httpBoot ? [`  option vendor-class-identifier "${HTTP_CLIENT_VENDOR_CLASS}";`] : []),
      `  filename "${arch.bootFile}";`,
    ]);
  }
  branches.forEach(([test, ...body], i) => lines.push(`${i === 0 ? 'if' : '} elsif'} ${test} {`, ...body));
  if (branches.length) lines.push('}');
  return `${lines.join('\n')}\n`;
}
