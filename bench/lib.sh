# SPDX-License-Identifier: GPL-2.0
# Helpers for the bench scripts.  Source it.

# scratch_ext4 SIZE: an ext4 (4 KiB blocks) on a loop device, mounted at
# $dir/mnt in a new directory $dir under /var/tmp; replay refuses targets
# on the root file system.  Unmounted, detached and removed at exit.
scratch_ext4() {
	dir=$(mktemp -d /var/tmp/pcrace-bench.XXXXXX)
	truncate -s "$1" "$dir/img"
	mkfs.ext4 -q -F -b 4096 "$dir/img"
	mkdir "$dir/mnt"
	dev=$(losetup -f --show "$dir/img")
	mount "$dev" "$dir/mnt"
	trap 'umount "$dir/mnt"; losetup -d "$dev"; rm -rf "$dir"' EXIT
}
