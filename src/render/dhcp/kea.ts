/**
 * Kea DHCPv4 snippet: client classes to merge into the site's `Dhcp4.client-classes`. Classes are
 * evaluated in order, so every architecture class excludes `kindling-ipxe` (iPXE sends option 93
 * too). iPXE sends its user class (option 77) as the bare bytes "iPXE", without RFC 3004's length
 * prefix; comparing the first four bytes keeps matching a build that sends a longer class. JSON has
 * no comments: the TFTP layout is in the dnsmasq and dhcpd snippets.
 */
import { HTTP_CLIENT_VENDOR_CLASS, IPXE_TAG, type DhcpBootChoices } from './boot-choices.ts';

function archTest(codes: readonly number[]): string {
  const tests = codes.map((code) => `option[93].hex == 0x${code.toString(16).padStart(4, '0')}`);
  return tests.length === 1 ? tests[0]! : `(${tests.join(' or ')})`;
}

export function keaDhcp4Json(choices: DhcpBootChoices): string {
  const ipxe = choices.ipxeScript !== undefined;
  const classes: object[] = ipxe ? [{ name: IPXE_TAG, test: "option[175].exists or substring(option[77].hex,0,4) == 'iPXE'", 'boot-file-name': choices.ipxeScript }] : [];
  for (const arch of choices.arches) {
    classes.push({
      name: arch.name,
      test: ipxe ? `not member('${IPXE_TAG}') and ${archTest(arch.archs)}` : archTest(arch.archs),
      'boot-file-name': arch.bootFile,
      ...(arch.httpBoot ? { 'option-data': [{ name: 'vendor-class-identifier', data: HTTP_CLIENT_VENDOR_CLASS }] } : {}),
    });
  }
  return `${JSON.stringify({ Dhcp4: { 'client-classes': classes } }, null, 2)}\n`;
}
