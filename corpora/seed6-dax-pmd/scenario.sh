# SPDX-License-Identifier: GPL-2.0
# Seed 6: RocksDB readwhilewriting --mmap_read=1 on ext4-dax, a PMD
# fault stuck in get_unlocked_entry.  The pattern in a small program:
# PMD and PTE faults over one DAX range, plus writes.  See README.md.
TITLE="DAX PMD vs PTE faults on ext4-dax: PMD fault hung in get_unlocked_entry"
FS=ext4-dax
MKFS_OPTS="-b 4096"
INJECT_BIT=6
FATAL=1
ORIGINAL_TIMEOUT=40
ORIGINAL='$BIN/dax_pmd_pte $MNT/orig/db 8 10'
ORIGINAL_SIGNATURE='get_unlocked_entry'
# recorded with the switch off: the failure would end the recording
RECORD_MASK=0
RECORD='$BIN/dax_pmd_pte $MNT/rec/db 8 2'
# A hang at 1 s: the trace's longest op took 19 ms, and 20 clean runs
# had no false hang (README.md, session 10)
REPLAY_OPTS="--order free --collide 8 --hang-timeout 1"
REPLAY_SIGNATURE='get_unlocked_entry'
