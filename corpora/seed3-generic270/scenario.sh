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
REPLAY_OPTS="--order none --collide 16 --collide-window 5000 --collide-ops ftruncate,fallocate --hang-timeout 30 --splat 'detected stalls|self-detected stall|soft lockup'"
REPLAY_SIGNATURE='detected stalls on CPUs|self-detected stall|soft lockup|hang'
