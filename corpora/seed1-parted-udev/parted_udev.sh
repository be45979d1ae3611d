#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Seed 1's workload (Ross Zwisler, 2018-04-16): parted re-partitions
# /dev/pmem0 in a loop while udev-style probes read the disk.  There is
# no udevd in the test VM, so what its workers ran on each "change"
# event is run here: blkid's low-level probe of the whole disk and of
# the partitions, concurrently, each a buffered read of the device's
# first pages (the 256 KiB reads of the seed's registers).
#
# usage: parted_udev.sh DEV SECONDS
# Exit: 0 after SECONDS; 2 usage error.
set -u
dev=${1:-} secs=${2:-}
[ -b "$dev" ] && [[ $secs =~ ^[1-9][0-9]*$ ]] ||
	{ echo "usage: parted_udev.sh DEV SECONDS" >&2; exit 2; }
end=$((SECONDS + secs))
mib=$(($(blockdev --getsize64 "$dev") >> 20))

probe() {	# what a udev worker's blkid does on a change event
	while [ $SECONDS -lt $end ]; do
		blkid -p -o udev "$dev" > /dev/null 2>&1
		dd if="$dev" of=/dev/null bs=256K count=1 status=none
	done
}
probe & probe &
rounds=0
while [ $SECONDS -lt $end ]; do
	parted -s "$dev" mktable msdos
	parted -s -a optimal "$dev" mkpart primary 2MiB $((mib / 2))MiB
	parted -s -a optimal "$dev" mkpart primary $((mib / 2))MiB $((mib - 2))MiB
	rounds=$((rounds + 1))
done
wait
echo "parted_udev: $rounds rounds of parted"
