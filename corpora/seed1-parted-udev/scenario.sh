# SPDX-License-Identifier: GPL-2.0
# Seed 1: a parted loop on /dev/pmem0 with udev-style probes reading the
# disk; systemd-udevd crashed in __add_to_page_cache_locked on a page
# whose reference count was already 0.  See README.md here.
TITLE="parted loop + blkid probes on /dev/pmem0: Bad page state / VM_BUG_ON refcount 0"
FS=raw
MKFS_OPTS=
INJECT_BIT=1
FATAL=1
ORIGINAL_TIMEOUT=60
ORIGINAL='$SRC/parted_udev.sh $DEV 10'
ORIGINAL_SIGNATURE='BUG: Bad page state|page_ref_count\(page\) == 0|folio_ref_count\(folio\) == 0'
# recorded with the switch off: the failure would end the recording
RECORD_MASK=0
RECORD='$SRC/parted_udev.sh $DEV 4'
REPLAY_TARGET='--target-dev $DEV'
# parted's own log and the partitions it makes (replay writes patterns,
# not partition tables) are not replayed.  The probes' reads of the same
# disk blocks, recorded up to 20 ms apart, are made to meet on uncached
# blocks (--collide): two tasks missing one index at once is the race,
# and without it 20,917 page-cache adds in replay had no EEXIST.
REPLAY_OPTS="--order none --collide 32 --collide-window 20000 --drop /run/pcrace/out --drop /dev/pmem0p --cpus spread"
REPLAY_SIGNATURE='Bad page state|page_ref_count\(page\) == 0|folio_ref_count\(folio\) == 0'
