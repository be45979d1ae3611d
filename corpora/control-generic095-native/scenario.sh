# SPDX-License-Identifier: GPL-2.0
# Positive control: generic/095's "Page cache invalidation failure on
# direct I/O" on xfs without DAX happens in unpatched 6.1 (a direct write
# whose range a buffered or mmap writer redirtied).  Debian's own kernel,
# the seed2-generic095 workload and trace.
TITLE="generic/095 on Debian's stock 6.1 xfs: Page cache invalidation failure"
WORKLOAD=seed2-generic095
SIDES=stock
# rate-limited to 10 a day: one failure per boot
FATAL=1
FS=xfs
MKFS_OPTS=
# a run takes seconds; one stuck in the kernel ends at 60 s, with its stacks
ORIGINAL_TIMEOUT=60
ORIGINAL='DIR=$MNT/orig fio --output=/dev/null --ignore_error=,EIO $SRC/generic095.fio'
ORIGINAL_SIGNATURE='Page cache invalidation failure'
# --order free, as seed 2 (see its scenario.sh): 10/10 at 4.6 s a run,
# against 1/10 at 32.9 s with --order none
REPLAY_OPTS="--order free --splat 'Page cache invalidation failure'"
REPLAY_SIGNATURE='Page cache invalidation failure'
