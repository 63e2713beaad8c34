#!/bin/sh
# Installs the Debian packages every test suite needs (test/real/ and its VM boots included), and nothing when they are
# already there: safe to call on every CI run. Must run as root on Debian 12 (bookworm).
#   ignition      the real Ignition 2.14.0 binary (dracut module) and ignition-validate
#   cloud-init    `cloud-init schema` on the host (the stages run in a debootstrap root)
#   debootstrap   builds that root once; it is cached under /var/cache/kindling-test (KINDLING_TEST_CACHE)
#   systemd       systemctl --root preset-all, systemd-analyze verify
#   iproute2      `ip link set lo up` in the test namespace
#   util-linux    unshare, mount, flock
#   passwd        useradd/groupadd, which Ignition runs with --root
#   coreutils tar gzip zstd python3   stand-in artifacts (the flanneld stand-in execs python3)
#   cpio xorriso genisoimage          initrd and NoCloud seed checks
#   ca-certificates                   debootstrap over https mirrors
#   openssl                           a throwaway CA for the fixture project's kubeconfig
#   grub-common                       grub-script-check on the generated GRUB entries
#   dnsmasq-base                      dnsmasq --test on the generated DHCP snippet (the binary only: the dnsmasq
#                                     package would start a daemon; ISC dhcpd and Kea are left out for the same reason,
#                                     their checks run only where dhcpd / kea-dhcp4 are on PATH)
#   qemu-system-x86 ipxe-qemu         the real iPXE ROM boots the generated PXE tree (test/render/pxe), and the
#                                     VM first boots (test/real/vm: TCG, user networking with guestfwd)
#   ovmf                              UEFI firmware (OVMF.fd) for the real iPXE and GRUB boots under UEFI (test/render/pxe)
#   grub-efi-amd64-signed grub-efi-amd64-bin   Debian's netboot GRUB (grubnetx64.efi.signed) and its http.mod boot the
#                                     generated grub/ entries (test/render/pxe)
#   pxelinux syslinux-common          lpxelinux.0 and ldlinux.c32 boot the generated pxelinux.cfg/ entries (test/render/pxe)
#   e2fsprogs                         mkfs.ext4 -d makes the VM disk without a mount; debugfs reads it back
#   virtinst                          virt-install --connect test:///default --dry-run checks the manifest's arguments
#   patch diffutils                   `kindling diff` hunks are checked against GNU patch and diff
#   python3-yaml                      PyYAML reads generated cloud-config back
#   prometheus                        promtool checks the flannel metrics, scrape config and alert rules (its
#                                     postinst would start the daemon through invoke-rc.d: see policy-rc.d below)
#   zsh fish                          zsh -n and fish --no-execute parse the scripts `kindling completion` prints
#   kubectl                           reads the generated kubeconfig; not in Debian's main archive, it comes
#                                     from the Kubernetes/Google Cloud apt repository the CI image configures
set -eu

PACKAGES="ignition cloud-init debootstrap systemd iproute2 util-linux passwd coreutils tar gzip zstd python3 \
python3-yaml cpio xorriso genisoimage ca-certificates openssl grub-common dnsmasq-base qemu-system-x86 ipxe-qemu ovmf grub-efi-amd64-signed grub-efi-amd64-bin \
pxelinux syslinux-common patch diffutils \
e2fsprogs virtinst prometheus zsh fish"

if [ "$(id -u)" != 0 ]; then
  echo "real-deps.sh: must run as root (apt-get, and the tests themselves need mount/chroot/unshare)" >&2
  exit 1
fi

missing=""
for package in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing="$missing $package"
done

if [ -n "$missing" ]; then
  echo "real-deps.sh: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Packages install, daemons do not start (prometheus ships an init script): a policy-rc.d that
  # refuses every start, unless the image already has one.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # shellcheck disable=SC2086  # word splitting is the point: one argument per package
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "real-deps.sh: all packages present"
fi

# kubectl: the image's own (a configured Kubernetes repository) when there is one, else Debian's
# kubernetes-client package, which is enough to parse and print a kubeconfig.
if ! command -v kubectl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-cache show kubectl >/dev/null 2>&1; then
    apt-get install -y -qq kubectl
  else
    apt-get install -y -qq --no-install-recommends kubernetes-client
  fi
  command -v kubectl >/dev/null 2>&1 || { echo "real-deps.sh: kubectl could not be installed" >&2; exit 1; }
fi

# The real Ignition binary is not on PATH; fail here, with its expected path, rather than in a test.
test -x /usr/lib/dracut/modules.d/30ignition/ignition || {
  echo "real-deps.sh: /usr/lib/dracut/modules.d/30ignition/ignition is missing (package ignition)" >&2
  exit 1
}

command -v qemu-system-x86_64 >/dev/null 2>&1 || {
  echo "real-deps.sh: qemu-system-x86_64 is missing after install (package qemu-system-x86)" >&2
  exit 1
}
