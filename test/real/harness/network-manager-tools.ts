/**
 * NetworkManager's own tools, without its daemon. Its keyfile reader: `nmcli --offline connection modify`
 * (NetworkManager ≥ 1.42) reads a keyfile on stdin, verifies the connection as NetworkManager does
 * when it loads one, and writes it back normalised (or fails naming the property it rejects). Its
 * kernel command-line reader: `nm-initrd-generator`, which FCOS's initramfs runs on dracut's `ip=`.
 * Debian's nmcli is used when installed; otherwise nmcli and libnm are unpacked from Debian's own
 * packages (`apt-get download`, `dpkg-deb -x`) into the test cache once, so NetworkManager's daemon is
 * never installed, let alone started, on the test machine.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CACHE_DIR } from './debootstrap-root.ts';
import { run, runChecked } from './run.ts';

const PACKAGES = ['network-manager', 'libnm0'];

interface Nmcli {
  readonly command: string;
  readonly env: NodeJS.ProcessEnv;
}

async function findNmcli(): Promise<Nmcli & { readonly initrdGenerator: string }> {
  if (existsSync('/usr/bin/nmcli')) return { command: '/usr/bin/nmcli', env: process.env, initrdGenerator: '/usr/lib/NetworkManager/nm-initrd-generator' };
  const root = join(DEFAULT_CACHE_DIR, 'nmcli-bookworm');
  if (!existsSync(join(root, 'usr/bin/nmcli'))) {
    mkdirSync(DEFAULT_CACHE_DIR, { recursive: true });
    const staging = mkdtempSync(join(DEFAULT_CACHE_DIR, 'nmcli-staging-'));
    try {
      await runChecked('apt-get', ['download', ...PACKAGES], { cwd: staging, killAfterMs: 300_000 });
      for (const deb of readdirSync(staging).filter((f) => f.endsWith('.deb'))) await runChecked('dpkg-deb', ['-x', join(staging, deb), join(staging, 'root')]);
      // Another test run may have unpacked it meanwhile; either copy is the same packages.
      if (!existsSync(root)) renameSync(join(staging, 'root'), root);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { command: join(root, 'usr/bin/nmcli'), initrdGenerator: join(root, 'usr/lib/NetworkManager/nm-initrd-generator'), env: { ...process.env, LD_LIBRARY_PATH: join(root, 'usr/lib/x86_64-linux-gnu') } };
}

type Keyfile = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The keyfile as NetworkManager reads it (sections → keys), or its error. */
export async function nmcliReadKeyfile(text: string, id: string): Promise<{ keyfile?: Keyfile; error?: string; version: string }> {
  const nmcli = await findNmcli();
  const version = (await runChecked(nmcli.command, ['--version'], { env: nmcli.env })).stdout.trim();
  // Setting the id it already has changes nothing: the output is the keyfile as read and verified.
  const result = await run(nmcli.command, ['--offline', 'connection', 'modify', 'connection.id', id], { env: nmcli.env, input: text });
  if (result.code !== 0) return { error: result.stderr.trim() || result.stdout.trim(), version };
  return { keyfile: parseKeyfile(result.stdout), version };
}

/**
 * The connections nm-initrd-generator makes from kernel arguments (`-s`: printed, not written),
 * by connection id, and the hostname it takes from them.
 */
export async function nmInitrdConnections(args: readonly string[]): Promise<{ connections: Record<string, Keyfile>; hostname?: string; output: string }> {
  const nm = await findNmcli();
  const { stdout } = await runChecked(nm.initrdGenerator, ['-s', '--', ...args], { env: nm.env });
  const connections: Record<string, Keyfile> = {};
  let hostname: string | undefined;
  for (const block of stdout.split(/^\*\*\* /m).slice(1)) {
    const head = block.slice(0, block.indexOf('\n'));
    const connection = /^Connection '(.+)' \*\*\*$/.exec(head);
    const host = /^Hostname '(.+)' \*\*\*$/.exec(head);
    if (connection) connections[connection[1]!] = parseKeyfile(block.slice(head.length));
    if (host) hostname = host[1];
  }
  return { connections, ...(hostname !== undefined ? { hostname } : {}), output: stdout };
}

function parseKeyfile(text: string): Keyfile {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections[header[1]!] = current = {};
    else if (current && line.includes('=')) current[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return sections;
}
