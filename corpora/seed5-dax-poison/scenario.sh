# SPDX-License-Identifier: GPL-2.0
# Seed 5: ndctl's dax.sh poison step, MADV_HWPOISON on a page inside a
# DAX PMD mapping: "WARNING ... dax_insert_entry" under 9f32d221301c.
# See README.md here.
TITLE="dax.sh poison: MADV_HWPOISON inside a DAX PMD, WARNING in dax_insert_entry"
FS=ext4-dax
MKFS_OPTS="-b 4096"
INJECT_BIT=5
# a poisoned DAX page stays poisoned: a new boot per failure
FATAL=1
ORIGINAL_TIMEOUT=60
ORIGINAL='$BIN/dax_poison $MNT/orig/image'
ORIGINAL_SIGNATURE='WARNING: .*dax'
# recorded with the switch off: the failure would end the recording
RECORD_MASK=0
RECORD='$BIN/dax_poison $MNT/rec/image'
# Syscalls, as the program made them: in the test VM this trace's trial
# took 0.65-0.82 s through io_uring and 0.17-0.22 s with --engine sync
# (3 runs each), against 0.16-0.19 s for the program itself.
REPLAY_OPTS="--engine sync"
REPLAY_SIGNATURE='WARNING: .*dax'
