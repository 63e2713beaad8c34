#!/bin/sh
# Installs the Debian packages the VM boot tests (test/real/vm/) need on top of .ci/real-deps.sh, and
# nothing when they are already there: safe to call on every CI run. Must run as root on Debian 12.
#   qemu-system-x86   qemu-system-x86_64 (TCG: no KVM needed) with slirp user networking and guestfwd
#   e2fsprogs         mkfs.ext4 -d (the disk image without a mount) and debugfs (reads it back)
#   util-linux        flock (the VM base cache), unshare (chroot apt-get for the VM base)
#   python3           the guestfwd relay (one process per guest connection)
# The VM base itself (kernel, dracut, Ignition module, cloud-init) is installed INSIDE the cached
# Debian root with chroot apt-get, not on the host.
set -eu

PACKAGES="qemu-system-x86 e2fsprogs util-linux python3"

if [ "$(id -u)" != 0 ]; then
  echo "vm-deps.sh: must run as root (apt-get; the VM base is built with chroot)" >&2
  exit 1
fi

missing=""
for package in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing="$missing $package"
done

if [ -n "$missing" ]; then
  echo "vm-deps.sh: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086  # word splitting is the point: one argument per package
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "vm-deps.sh: all packages present"
fi

command -v qemu-system-x86_64 >/dev/null 2>&1 || {
  echo "vm-deps.sh: qemu-system-x86_64 is missing after install (package qemu-system-x86)" >&2
  exit 1
}
