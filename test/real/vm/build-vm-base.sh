#!/bin/bash
# Builds the cached VM roots the qemu boot tests use, from the cached debootstrap root (read-only
# here: it is copied, never changed). Called by vm-base.ts under flock, so one build at a time.
#
#   build-vm-base.sh DEBIAN_ROOT OUT GUEST_DIR "CLOUD_INIT_PACKAGES" "IGNITION_PACKAGES"
#
# OUT/cloud-init  Debian + kernel, booted by an initramfs-tools initrd (the cloud-init VM)
# OUT/ignition    the same + dracut and Debian's 30ignition module, booted by a dracut initrd (the
#                 Ignition VM); first-boot state (no machine-id) so systemd applies Ignition's preset
# OUT/boot        vmlinuz, initrd-cloud-init.img, initrd-ignition.img, versions.txt
#
# Why each step is there is said beside it. Everything happens under OUT.building and is renamed at the end, so a
# killed build never looks finished.
set -euo pipefail
src=$1 out=$2 guest=$3 ci_packages=$4 ign_packages=$5
tmp=$out.building
log() { echo "[vm-base $(date +%T)] $*"; }

# Runs a command chrooted in $1, with proc/sys/dev mounted in a private mount namespace: the mounts
# vanish with the namespace when the command exits, even if it is killed.
in_root() {
  local root=$1; shift
  unshare --mount --fork --propagation private /bin/sh -ec '
    root=$1; shift
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --rbind /dev "$root/dev"
    exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
  ' sh "$root" "$@"
}

rm -rf "$tmp"
mkdir -p "$tmp/boot"

# ---- the cloud-init VM root --------------------------------------------------------------------
ci=$tmp/cloud-init
log "copying $src"
cp -a "$src" "$ci"
# No service may start inside the chroot while packages install.
printf '#!/bin/sh\nexit 101\n' > "$ci/usr/sbin/policy-rc.d"; chmod 0755 "$ci/usr/sbin/policy-rc.d"
in_root "$ci" apt-get update -qq
# initramfs-tools first, so its small MODULES=list initrd is the one the kernel install builds.
# ata_piix/sr_mod/cdrom: /dev/sr0 must exist when ds-identify looks for the `cidata` seed.
in_root "$ci" apt-get install -y -qq --no-install-recommends initramfs-tools
echo 'MODULES=list' > "$ci/etc/initramfs-tools/conf.d/kindling-vm.conf"
printf '%s\n' virtio_pci virtio_blk virtio_net ext4 ata_piix sr_mod cdrom >> "$ci/etc/initramfs-tools/modules"
log "installing $ci_packages"
# shellcheck disable=SC2086  # one argument per package
in_root "$ci" apt-get install -y -qq --no-install-recommends $ci_packages
kver=$(ls "$ci/lib/modules" | head -n 1)
[ -n "$kver" ] || { echo "no kernel installed" >&2; exit 1; }
cp "$ci/boot/vmlinuz-$kver" "$tmp/boot/vmlinuz"
cp "$ci/boot/initrd.img-$kver" "$tmp/boot/initrd-cloud-init.img"

# The harness-only report unit: prints KVM-CHECK lines on ttyS0 and powers off (guest/).
install -m 0755 "$guest/kindling-vm-report" "$ci/usr/local/sbin/kindling-vm-report"
install -m 0644 "$guest/kindling-vm-report.service" "$ci/etc/systemd/system/kindling-vm-report.service"
mkdir -p "$ci/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/kindling-vm-report.service "$ci/etc/systemd/system/multi-user.target.wants/"
# Also a preset, so the first-boot preset-all of the Ignition VM keeps it enabled.
mkdir -p "$ci/etc/systemd/system-preset"
echo 'enable kindling-vm-report.service' > "$ci/etc/systemd/system-preset/10-kindling-vm-report.preset"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' > "$ci/etc/fstab"
# No login prompt on the serial console: agetty's vhangup() on ttyS0 cuts off a report unit that has
# the tty open (seen: the Ignition VM's report printed nothing when the getty started after it).
ln -sf /dev/null "$ci/etc/systemd/system/serial-getty@ttyS0.service"
install -m 0644 "$guest/99-kindling-vm.cfg" "$ci/etc/cloud/cloud.cfg.d/99-kindling-vm.cfg"

# ---- the Ignition VM root ------------------------------------------------------------------------
ign=$tmp/ignition
log "copying the cloud-init root for the Ignition root"
cp -a "$ci" "$ign"
log "installing $ign_packages"
# shellcheck disable=SC2086
in_root "$ign" apt-get install -y -qq --no-install-recommends $ign_packages
# Trap 1: dracut-network ships a config naming an `ifcfg` module it does not ship.
rm -f "$ign/etc/dracut.conf.d/11-ifcfg.conf"
# Trap 3: Debian's Ignition relabels for SELinux unconditionally; a no-op setfiles in the initrd only,
# and a config file it can read in the root.
mkdir -p "$ign/root/kindling-vm"
printf '#!/bin/sh\n# no-op setfiles: SELinux is not what these boots test\ncat >/dev/null\nexit 0\n' > "$ign/root/kindling-vm/setfiles"
chmod 0755 "$ign/root/kindling-vm/setfiles"
mkdir -p "$ign/etc/selinux"
printf 'SELINUX=disabled\nSELINUXTYPE=default\n' > "$ign/etc/selinux/config"
log "building the dracut initrd with the ignition module"
in_root "$ign" dracut --quiet --force --no-hostonly --kver "$kver" --add ignition \
  --omit 'crypt dm nvdimm lunmask resume overlay-root virtiofs kernel-modules-extra' \
  --drivers 'virtio_pci virtio_blk virtio_net ext4 qemu_fw_cfg' \
  --include /root/kindling-vm/setfiles /usr/sbin/setfiles \
  --compress zstd /root/kindling-vm/initrd-ignition.img
mv "$ign/root/kindling-vm/initrd-ignition.img" "$tmp/boot/initrd-ignition.img"
rm -rf "$ign/root/kindling-vm"
# This VM is configured by Ignition only.
touch "$ign/etc/cloud/cloud-init.disabled"
# Trap 4: `enabled: true` is only a preset line; systemd applies presets on a first boot, i.e.
# without a machine-id.
rm -f "$ign/etc/machine-id" "$ign/var/lib/dbus/machine-id"

for root in "$ci" "$ign"; do
  in_root "$root" apt-get clean
  rm -f "$root/usr/sbin/policy-rc.d"
  rm -rf "$root/var/lib/apt/lists/"*
done

{
  echo "kernel $kver"
  in_root "$ign" dpkg-query -W linux-image-amd64 systemd cloud-init initramfs-tools dracut-core ignition
} > "$tmp/boot/versions.txt"

rm -rf "$out"
mv "$tmp" "$out"
log "done: $(tr '\n' ';' < "$out/boot/versions.txt")"
