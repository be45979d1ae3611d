# SPDX-License-Identifier: GPL-2.0
# Seed 4: generic/418 on ext4 with 1 KiB blocks on pmem (not DAX): an
# O_DIRECT write of 0x1 read back buffered as 0x0.  See README.md here.
# Sourced by scripts/corpora-run; $BIN is this scenario's build directory
# and $MNT the mounted file system, both as the guest sees them.
TITLE="generic/418: DIO write, buffered read of 0x0 (ext4 -b 1024)"
FS=ext4
MKFS_OPTS="-b 1024"
INJECT_BIT=4
# the original: diotest -w with 1 KiB blocks, 8 processes, 4 iterations,
# 25 rounds per run (generic/418 runs -n 8 -i 4 5 x LOAD_FACTOR times)
ORIGINAL='$BIN/dio_invalidate $MNT/orig/f 1024 8 4 25'
ORIGINAL_SIGNATURE='Expected: 0x[0-9a-f]*, got 0x0'
# what is recorded to make trace.pcr: the same, 10 rounds
RECORD='$BIN/dio_invalidate $MNT/rec/f 1024 8 4 10'
# The recorded order makes each read wait for the writes that had ended
# before it, so the read never lands inside a write's window; unordered,
# with the window (the injected size update after the invalidation)
# held open 5 ms, it does.
REPLAY_OPTS='--order none --widen ext4_handle_inode_extension:5000'
REPLAY_SIGNATURE='found zeros'
DATA_ORACLE=1
