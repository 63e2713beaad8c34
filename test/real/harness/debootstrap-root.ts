/**
 * A Debian bookworm root with cloud-init in it, built once with debootstrap and cached on disk.
 *
 * The cache is an unpacked directory (overlayfs needs a directory as its lower layer, and unpacking a
 * tarball for every test file would cost seconds for nothing). It is keyed by everything that shapes
 * its contents (suite, variant, package list, architecture), so changing the package list builds a new
 * root instead of silently reusing a stale one. vitest runs test files in parallel processes, so the
 * build is serialised with flock(1): the lock is released by the kernel even if a build is killed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireExecutables, runChecked } from './run.ts';

/** python3-cffi-backend is not optional: debootstrap does not resolve the virtual package python3-cryptography needs. */
export const CLOUD_INIT_ROOT_PACKAGES = [
  'cloud-init',
  'python3-cffi-backend',
  'systemd',
  'curl',
  'ca-certificates',
  'python3',
] as const;

export interface DebianRootOptions {
  readonly suite?: string;
  readonly packages?: readonly string[];
  /** Where cached roots live; KINDLING_TEST_CACHE overrides the default. */
  readonly cacheDir?: string;
  /** Debian mirror URL; by default the one this machine's apt uses. */
  readonly mirror?: string;
}

export const DEFAULT_CACHE_DIR = process.env.KINDLING_TEST_CACHE ?? '/var/cache/kindling-test';
const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

/**
 * The main Debian archive URL from this machine's apt sources (deb822 `.sources` files and one-line
 * `.list` files), so debootstrap uses the same mirror apt does (CI machines may not reach the default).
 */
export function aptMirror(suite = 'bookworm'): string {
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  if (existsSync('/etc/apt/sources.list.d')) {
    for (const name of readdirSync('/etc/apt/sources.list.d').sort()) files.push(join('/etc/apt/sources.list.d', name));
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
        const uri = field('URIs').find((u) => /\/debian\/?$/.test(u));
        if (uri && field('Suites').includes(suite) && field('Types').includes('deb')) return uri.replace(/\/$/, '');
      }
    } else {
      for (const line of text.split('\n')) {
        const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+(\S+)/.exec(line.trim());
        if (match?.[1] && match[2] === suite) return match[1];
      }
    }
  }
  return FALLBACK_MIRROR;
}

/** The cache key: a short hash of everything that decides what the root contains. */
export function rootKey(suite: string, packages: readonly string[]): string {
  const recipe = JSON.stringify({ tool: 'debootstrap', variant: 'minbase', arch: process.arch, suite, packages });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16);
}

/**
 * Returns the path of a ready Debian root, building it on first use (about a minute on a fast
 * mirror). The returned directory must be treated as read-only: mount it as an overlay lower layer.
 */
export async function ensureDebianRoot(options: DebianRootOptions = {}): Promise<string> {
  const suite = options.suite ?? 'bookworm';
  const packages = options.packages ?? CLOUD_INIT_ROOT_PACKAGES;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const key = rootKey(suite, packages);
  const root = join(cacheDir, `rootfs-${key}`);
  const ready = `${root}.ready`;
  if (existsSync(ready)) return root;

  requireExecutables(['debootstrap', 'flock']);
  mkdirSync(cacheDir, { recursive: true });
  const mirror = options.mirror ?? aptMirror(suite);
  // Built under a temporary name and renamed, so a killed build never looks finished; the .ready
  // marker lives outside the root so it is not part of what tests see.
  const script = `
    set -e
    ready="$1"; root="$2"; mirror="$3"; suite="$4"; include="$5"
    [ -e "$ready" ] && exit 0
    tmp="$root.building"
    rm -rf "$tmp" "$root"
    debootstrap --variant=minbase --include="$include" "$suite" "$tmp" "$mirror" >"$root.log" 2>&1 || {
      tail -n 40 "$root.log" >&2; exit 1; }
    rm -f "$tmp"/var/cache/apt/archives/*.deb
    mv "$tmp" "$root"
    touch "$ready"
  `;
  await runChecked('flock', [`${root}.lock`, 'sh', '-c', script, 'sh', ready, root, mirror, suite, packages.join(',')], {
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(ready)) throw new Error(`debootstrap root ${root} was not marked ready`);
  return root;
}
