# SPDX-License-Identifier: GPL-2.0
# Seed 7: Jan Kara's GUP race, an O_DIRECT read into a MAP_SHARED ext4
# mapping while writeback cleans the pages and reclaim strips their
# buffers: a dirty page without buffers.  See README.md here.
TITLE="GUP: O_DIRECT read into an ext4 mapping vs writeback + MADV_PAGEOUT"
FS=ext4
MKFS_OPTS=
INJECT_BIT=7
# the injected kernel BUGs in writeback on the first such page
FATAL=1
# a BUG in writeback leaves the workload stuck (the signature ends the
# wait); 10 s of work.  On the clean kernel the race can leave the
# reader throttled for good in balance_dirty_pages (ext4 clears the dirty
# bit of a page without buffers, and the dirty count leaks): past 40 s
# that is a failure of another kind, with its stacks.
ORIGINAL_TIMEOUT=40
ORIGINAL='$BIN/gup_dio $MNT/orig 16 10'
ORIGINAL_SIGNATURE='kernel BUG at fs/ext4/inode.c'
# Recorded with the switch off: the race happens (ext4 warns and drops
# the page's data), the recording survives it.
RECORD_MASK=0
RECORD='$BIN/gup_dio $MNT/rec 16 3'
# No ordering: the three threads' loops are independent; the native
# warnings of 6.1 ("does not have buffers attached", the WARN in
# ext4_dirty_folio) are the race happening, not the seed's failure.
# Not --order free, though it is twice as fast on the injected kernel: on
# the clean one it also drives 6.1's own race into a hang (see README.md).
# The sync engine: through io_uring this trace ran 9.6 s a run (15/20).
# No data oracle: the signature is the BUG, the reads land in the mapping
# (bytes replay cannot name) and a run the BUG ends never gets to the
# final check; the oracle's bookkeeping cost 0.1 s of a 1.1 s run.
REPLAY_OPTS="--order none --engine sync --cpus spread --no-verify --splat 'kernel BUG at fs/ext4/inode.c'"
REPLAY_SIGNATURE='kernel BUG at fs/ext4/inode.c'
# That leak is per boot: measured in the VM after sync and drop_caches,
# nr_dirty grew by about 2,000 pages (8 MB) a replay trial, to 190 MB
# after 24; one boot of replay trials on the clean kernel hung in
# balance_dirty_pages at trial 46, CI's boots of 30 failed at 28 and 30.
# tests/34 runs its clean trials 10 to a boot.
CLEAN_BOOT_TRIALS=10
