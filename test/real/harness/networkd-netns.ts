/**
 * The real systemd-networkd (Debian's, /lib/systemd/systemd-networkd) applying .network files to
 * veth interfaces in a private network and mount namespace: nothing of the host's network is seen
 * or touched. /etc/systemd/network is a bind mount of the test's files, /run a fresh tmpfs, and /sys
 * a read-only sysfs of the new namespace: networkd takes a read-only /sys to mean that no udev runs
 * (as in a container) and manages links without waiting for udev to initialise them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutables, requireRoot, runChecked } from './run.ts';

const NETWORKD = '/lib/systemd/systemd-networkd';

interface NetworkdLink {
  readonly name: string;
  readonly mac: string;
}

interface IpAddress {
  readonly family: 'inet' | 'inet6';
  readonly local: string;
  readonly prefixlen: number;
  readonly scope: string;
}

interface NetworkdResult {
  /** Interface name → its global addresses as `address/prefix`. */
  readonly addresses: Readonly<Record<string, readonly string[]>>;
  /** `ip route` and `ip -6 route` lines (default routes among them). */
  readonly routes: readonly string[];
  /** Interface name → networkd's state file for it (ADMIN_STATE, NETWORK_FILE, DNS, DOMAINS, ...). */
  readonly states: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly log: string;
}

const INNER = String.raw`
set -eu
work=$1; shift
mount -t tmpfs tmpfs /run
mount -t sysfs -o ro sysfs /sys
mount --bind "$work/network" /etc/systemd/network
# What systemd-networkd.service's RuntimeDirectory= would make: networkd writes its state there.
mkdir -p /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp
chown -R systemd-network:systemd-network /run/systemd/netif
ip link set lo up
i=0
for pair in "$@"; do
  name=$(echo "$pair" | cut -d= -f1); mac=$(echo "$pair" | cut -d= -f2); i=$((i+1))
  ip link add "$name" address "$mac" type veth peer name "kpeer$i"
  ip link set "kpeer$i" up
done
${NETWORKD} > "$work/networkd.log" 2>&1 &
pid=$!
# Settled when no link is still pending or being configured (at most 20 s).
for _ in $(seq 100); do
  sleep 0.2
  busy=$(cat /run/systemd/netif/links/* 2>/dev/null | grep -cE '^ADMIN_STATE=(pending|initialized|configuring)$' || true)
  [ -n "$(ls /run/systemd/netif/links 2>/dev/null)" ] && [ "$busy" = 0 ] && break
done
echo '--- addresses'; ip -j addr
echo '--- routes'; ip route; ip -6 route
for f in /run/systemd/netif/links/*; do echo "--- state $(basename "$f")"; cat "$f"; done
kill "$pid"; wait "$pid" 2>/dev/null || true
`;

/** Runs networkd once over `files` (name → text in /etc/systemd/network) and the given veth links. */
export async function runNetworkd(files: Readonly<Record<string, string>>, links: readonly NetworkdLink[]): Promise<NetworkdResult> {
  requireRoot();
  requireExecutables(['unshare', 'ip', NETWORKD]);
  const work = mkdtempSync(join(tmpdir(), 'kindling-networkd-'));
  try {
    mkdirSync(join(work, 'network'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(work, 'network', name), text);
    const pairs = links.map((l) => `${l.name}=${l.mac}`);
    const { stdout } = await runChecked('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', INNER, 'inner', work, ...pairs], { killAfterMs: 60_000 });
    const logFile = join(work, 'networkd.log');
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    return { ...parse(stdout), log };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parse(stdout: string): Omit<NetworkdResult, 'log'> {
  const sections = stdout.split(/^--- /m).slice(1);
  const addresses: Record<string, string[]> = {};
  const routes: string[] = [];
  const states: Record<string, Record<string, string>> = {};
  const names = new Map<string, string>();
  for (const section of sections) {
    const [head = '', ...rest] = section.split('\n');
    const body = rest.join('\n');
    if (head === 'addresses') {
      for (const link of JSON.parse(body) as { ifindex: number; ifname: string; addr_info: IpAddress[] }[]) {
        names.set(String(link.ifindex), link.ifname);
        addresses[link.ifname] = link.addr_info.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
      }
    } else if (head === 'routes') {
      routes.push(...body.split('\n').map((l) => l.trim()).filter(Boolean));
    } else if (head.startsWith('state ')) {
      const entries = body.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
      const index = head.slice('state '.length);
      states[names.get(index) ?? index] = Object.fromEntries(entries);
    }
  }
  return { addresses, routes, states };
}
