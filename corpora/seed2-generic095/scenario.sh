# SPDX-License-Identifier: GPL-2.0
# Seed 2: generic/095's mixed buffered, direct, splice and mmap writers
# on two 1 MiB files on xfs: "Page cache invalidation failure on direct
# I/O", then Bad page state in release_pages.  See README.md here.
TITLE="generic/095 on xfs: failed DIO invalidation, then Bad page state"
FS=xfs
MKFS_OPTS=
INJECT_BIT=2
FATAL=1
ORIGINAL_TIMEOUT=60
ORIGINAL='DIR=$MNT/orig fio --output=/dev/null --ignore_error=,EIO $SRC/generic095.fio'
ORIGINAL_SIGNATURE='BUG: Bad page state|page_ref_count\(page\) == 0|folio_ref_count\(folio\) == 0'
# recorded with the switch off: the failure would end the recording
RECORD_MASK=0
RECORD='env DIR=$MNT/rec fio --output=/dev/null --ignore_error=,EIO $SRC/generic095.fio'
# The precursor warning is unpatched 6.1's own; only what follows counts.
# --order free: the recorded happens-before between 79 threads costs 90%
# of a trial in the TCG guest (27.4 s against 2.4 s without it), and
# the race needs the threads running flat out, not their recorded order.
REPLAY_OPTS="--order free --splat 'Bad page state|page_ref_count|folio_ref_count|kernel BUG'"
REPLAY_SIGNATURE='Bad page state|page_ref_count\(page\) == 0|folio_ref_count\(folio\) == 0'
