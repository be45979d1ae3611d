# SPDX-License-Identifier: GPL-2.0
# Positive control: seed 7's race is live in unpatched 6.1 (direct I/O
# still takes page references with FOLL_GET there), where ext4 warns
# instead of crashing.  Debian's own kernel, the seed7-gup-dio workload
# and trace.
TITLE="seed 7's race on Debian's stock 6.1: \"does not have buffers attached\""
WORKLOAD=seed7-gup-dio
SIDES=stock
FS=ext4
MKFS_OPTS=
# a run takes seconds; one stuck in the kernel ends at 60 s, with its stacks
ORIGINAL_TIMEOUT=60
ORIGINAL='$BIN/gup_dio $MNT/orig 16 10'
ORIGINAL_SIGNATURE='does not have buffers attached'
REPLAY_OPTS="--order none --splat 'WARNING: .* ext4_dirty_folio|does not have buffers attached'"
REPLAY_SIGNATURE='ext4_dirty_folio|does not have buffers attached'
