# SPDX-License-Identifier: GPL-2.0
# Helpers for the bench scripts.  Source it.

# scratch_ext4 SIZE [ram]: an ext4 (4 KiB blocks) on a loop device,
# mounted at $dir/mnt in a new directory $dir under /var/tmp; replay
# refuses targets on the root file system.  Its image is in $dir, on this
# machine's disk, or with "ram" in /dev/shm, as pmem is in memory.
# Unmounted, detached and removed at exit.
scratch_ext4() {
	dir=$(mktemp -d /var/tmp/pcrace-bench.XXXXXX)
	img=$dir/img
	[ "${2:-}" = ram ] && img=$(mktemp /dev/shm/pcrace-bench.XXXXXX)
	truncate -s "$1" "$img"
	mkfs.ext4 -q -F -b 4096 "$img"
	mkdir "$dir/mnt"
	dev=$(losetup -f --show "$img")
	mount "$dev" "$dir/mnt"
	trap 'umount "$dir/mnt"; losetup -d "$dev"; rm -rf "$dir" "$img"' EXIT
}
