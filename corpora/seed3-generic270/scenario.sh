# SPDX-License-Identifier: GPL-2.0
# Seed 3: generic/270 on xfs, page-cache churn then drop_caches: an RCU
# stall with xas_find/xas_load under the page-cache lookup that never
# ends.  See README.md here.
TITLE="generic/270 churn + drop_caches on xfs: RCU stall / soft lockup in the page-cache lookup"
FS=xfs
MKFS_OPTS=
INJECT_BIT=3
FATAL=1
# stuck for good in the kernel: the stall is printed within ~21 s
ORIGINAL_TIMEOUT=60
ORIGINAL='$BIN/trunc_drop $MNT/orig 10'
ORIGINAL_SIGNATURE='detected stalls on CPUs|self-detected stall|soft lockup'
# recorded with the switch off: the failure would end the recording
RECORD_MASK=0
RECORD='$BIN/trunc_drop $MNT/rec 3'
# a task spinning in a page-cache lookup is a hang (the trace's
# longest op took 58 ms), with the CPUs' backtraces (sysrq-l) the proof:
# 20 s before the kernel's own stall report; the signature is the spin,
# not the data, and the data oracle cost 1-1.5 s of a 4-6 s run (--no-verify);
# the recorded syscalls (--engine sync) hit it a little more often than
# io_uring (13 and 11 of 40 runs, sessions 11-12); without the O_DIRECT
# writer (T3, 2,368 of the 5,144 ops) every run hit it (20/20, session 12);
# a hang after 0.5 s (clean 0/40): at 0.25 s a clean read was once taken
# for a hang (1/40)
REPLAY_OPTS="--order none --engine sync --drop-thread T3 --collide 16 --collide-window 5000 --collide-ops ftruncate,fallocate --no-verify --hang-timeout 0.5 --splat 'detected stalls|self-detected stall|soft lockup'"
REPLAY_SIGNATURE='detected stalls on CPUs|self-detected stall|soft lockup|^( |RIP: 0010:)(filemap_get_read_batch|find_get_entries|find_lock_entries|filemap_get_folios(_tag|_contig)?|find_get_pages_range_tag|__filemap_get_folio|next_uptodate_page)\+0x'
