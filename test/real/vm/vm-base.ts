/**
 * The cached VM base for the qemu boot tests: two Debian roots (a cloud-init VM and an Ignition VM
 * with a dracut initrd carrying Debian's 30ignition module), a kernel and both initrds, built once
 * from the cached debootstrap root by build-vm-base.sh and kept under the test cache directory.
 *
 * The cache key covers everything that decides the contents: the debootstrap root it starts from,
 * both package lists, and the bytes of the recipe itself (the build script and the guest report
 * files), so editing any of them builds a new base instead of reusing a stale one. vitest runs test
 * files in parallel processes: the build is serialised with flock(1), released by the kernel even if
 * a build is killed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CACHE_DIR, ensureDebianRoot } from '../harness/debootstrap-root.ts';
import { requireExecutables, runChecked } from '../harness/run.ts';

/** What the cloud-init VM adds to the debootstrap root (real-consumers.md, harness 3). */
const CLOUD_INIT_VM_PACKAGES = ['linux-image-amd64', 'systemd-sysv', 'udev', 'kmod', 'ifupdown'] as const;
/** What the Ignition VM adds on top (ignition-vm.md): dbus because dracut's network module picks networkd. */
const IGNITION_VM_PACKAGES = ['dracut-core', 'dracut-network', 'ignition', 'dbus', 'zstd'] as const;

const HERE = fileURLToPath(new URL('.', import.meta.url));
const BUILD_SCRIPT = join(HERE, 'build-vm-base.sh');
const GUEST_DIR = join(HERE, 'guest');
const GUEST_FILES = ['kindling-vm-report', 'kindling-vm-report.service', '99-kindling-vm.cfg'] as const;

export interface VmBase {
  readonly dir: string;
  /** Root directories to make disk images from (mkfs.ext4 -d); read-only. */
  readonly cloudInitRoot: string;
  readonly ignitionRoot: string;
  readonly kernel: string;
  readonly cloudInitInitrd: string;
  readonly ignitionInitrd: string;
  /** Kernel and package versions inside the base, for failure messages and the report. */
  readonly versions: string;
}

/** The cache key: the debootstrap root, both package lists and the recipe's bytes. */
function vmBaseKey(debianRoot: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ debianRoot: basename(debianRoot), ci: CLOUD_INIT_VM_PACKAGES, ign: IGNITION_VM_PACKAGES }));
  for (const file of [BUILD_SCRIPT, ...GUEST_FILES.map((name) => join(GUEST_DIR, name))]) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function baseAt(dir: string): VmBase {
  return {
    dir,
    cloudInitRoot: join(dir, 'cloud-init'),
    ignitionRoot: join(dir, 'ignition'),
    kernel: join(dir, 'boot/vmlinuz'),
    cloudInitInitrd: join(dir, 'boot/initrd-cloud-init.img'),
    ignitionInitrd: join(dir, 'boot/initrd-ignition.img'),
    versions: readFileSync(join(dir, 'boot/versions.txt'), 'utf8'),
  };
}

/** A base is a whole disk image: once a new recipe is built, the bases of older recipes only take space. */
function pruneStaleBases(cacheDir: string, current: string): void {
  for (const name of readdirSync(cacheDir)) {
    const match = /^(vmbase-[0-9a-f]{16})(\.ready|\.log|\.lock|\.building)?$/.exec(name);
    if (match && match[1] !== current) rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
}

/**
 * Returns the VM base, building it on first use (the mirror is the only network it touches). Treat every path in it as read-only.
 */
export async function ensureVmBase(cacheDir = DEFAULT_CACHE_DIR): Promise<VmBase> {
  const debianRoot = await ensureDebianRoot({ cacheDir });
  const dir = join(cacheDir, `vmbase-${vmBaseKey(debianRoot)}`);
  const ready = `${dir}.ready`;
  if (existsSync(ready)) return baseAt(dir);

  requireExecutables(['flock', 'unshare', 'chroot', 'cp']);
  mkdirSync(cacheDir, { recursive: true });
  const script = `
    set -e
    ready="$1"; log="$2"; shift 2
    [ -e "$ready" ] && exit 0
    "$@" >"$log" 2>&1 || { tail -n 60 "$log" >&2; exit 1; }
    touch "$ready"
  `;
  await runChecked(
    'flock',
    [`${dir}.lock`, 'sh', '-c', script, 'sh', ready, `${dir}.log`, BUILD_SCRIPT, debianRoot, dir, GUEST_DIR,
      CLOUD_INIT_VM_PACKAGES.join(' '), IGNITION_VM_PACKAGES.join(' ')],
    { env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` }, killAfterMs: 20 * 60_000 },
  );
  if (!existsSync(ready)) throw new Error(`VM base ${dir} was not marked ready`);
  pruneStaleBases(cacheDir, basename(dir));
  return baseAt(dir);
}
