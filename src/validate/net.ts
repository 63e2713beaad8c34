/**
 * Strict IP, CIDR, MAC and interface-name parsing. Node's `net.isIP` is strict where inet_aton is not
 * (`010.1.1.1` is rejected instead of read as octal), which is what a profile checker needs.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface Cidr {
  readonly family: IpFamily;
  readonly address: bigint;
  readonly prefix: number;
  /** Canonical text with host bits cleared, e.g. 10.244.0.0/16. */
  readonly canonical: string;
  readonly hostBitsSet: boolean;
}

export function ipFamily(text: string): IpFamily | undefined {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return undefined;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const family = ipFamily(addressText);
  if (!family) return undefined;
  const prefix = Number(prefixText);
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const address = family === 4 ? ipv4ToBigInt(addressText) : ipv6ToBigInt(addressText);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const network = address & ~hostMask & ((1n << BigInt(bits)) - 1n);
  const canonical = `${family === 4 ? bigIntToIpv4(network) : bigIntToIpv6(network)}/${prefix}`;
  return { family, address: network, prefix, canonical, hostBitsSet: network !== address };
}

/** Canonical text of an address (fd00:0::21 → fd00::21), or undefined when it does not parse. */
export function canonicalAddress(address: string): string | undefined {
  const family = ipFamily(address);
  if (!family) return undefined;
  // A dotted quad that isIPv4 accepts (no leading zeros, no short forms) is already canonical.
  if (family === 4) return address;
  return parseCidr(`${address}/128`)!.canonical.replace(/\/\d+$/, '');
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

function ipv6ToBigInt(text: string): bigint {
  let groups: string[];
  let source = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (v4?.[1]) {
    const n = ipv4ToBigInt(v4[1]);
    source = source.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  if (source.includes('::')) {
    const [head = '', tail = ''] = source.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  } else {
    groups = source.split(':');
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigIntToIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

const MAC = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

/** Lower-case colon form (52:54:00:12:34:56), or undefined for a malformed MAC. */
export function normaliseMac(text: string): string | undefined {
  return MAC.test(text) ? text.toLowerCase().replace(/-/g, ':') : undefined;
}

/** Linux accepts 1–15 bytes, no '/', ':' or whitespace, and not '.' or '..' (dev_valid_name). */
export function interfaceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (Buffer.byteLength(name) > 15) return `is ${Buffer.byteLength(name)} bytes long; Linux allows at most 15`;
  if (name === '.' || name === '..') return `cannot be '${name}'`;
  if (/[/:\s]/.test(name)) return "contains '/', ':' or whitespace";
  if (!/^[A-Za-z0-9_.@+-]+$/.test(name)) return 'contains characters other than letters, digits and _ . @ + -';
  return undefined;
}
