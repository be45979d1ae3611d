#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Partitioning, recorded and replayed: parted on a loop device adds its
# partitions with ioctl BLKPG, one call each.  The trace keeps each
# call's partition (op, number, start, length), dump --ops writes it as
# part= pno= off= len=, and replay on another, empty loop device makes
# the same partitions there (seed 1's parted loop depends on it).
. "$(dirname "$0")/lib.sh"
need_root_bpf
make_scratch
command -v parted > /dev/null || skip_all "needs parted"
command -v losetup > /dev/null || skip_all "needs losetup"
plan 7

truncate -s 64M "$SCRATCH/rec.img" "$SCRATCH/rep.img"
REC=$(losetup -f --show -P "$SCRATCH/rec.img") || skip_all "no loop device"
REP=$(losetup -f --show -P "$SCRATCH/rep.img") || { losetup -d "$REC"; skip_all "no second loop device"; }
trap 'losetup -d "$REC" "$REP"; rm -rf "$SCRATCH"' EXIT

T=$SCRATCH/parted.pcr
"$PCRACE" record -o "$T" -- parted -s "$REC" mktable msdos \
	mkpart primary 1MiB 10MiB mkpart primary 10MiB 30MiB 2> /dev/null
ok $? "record -- parted mktable + 2 x mkpart on $REC"

adds=$("$PCRACE" dump --json "$T" | jq -r 'select(.event == "blkpg" and .op == 1) | "\(.pno) \(.start) \(.length)"')
is_text "$adds" "1 1048576 9437184
2 10485760 20971520" "the trace has both BLKPG_ADD_PARTITION calls with their start and length"

ops=$("$PCRACE" dump --ops "$T")
grep -q "ioctl F[0-9]* cmd=BLKPG part=add pno=2 off=10485760 len=20971520 = 0" <<< "$ops"
ok $? "dump --ops writes the add as part=add pno=2 off=10485760 len=20971520"

is "$(ls /sys/class/block/"$(basename "$REP")"/ | grep -c "^$(basename "$REP")p")" 0 \
	"the replay target has no partitions before"
rec=$(basename "$REC")
"$PCRACE" replay --target-dev "$REP" --drop /etc --drop /usr --drop "/dev/${rec}p" \
	"$T" > "$SCRATCH/replay.out" 2>&1
is $? 0 "replay on $REP: not reproduced (0)"
sys=/sys/class/block/$(basename "$REP")
got=$(for p in 1 2; do echo "$(cat "$sys/$(basename "$REP")p$p/start") $(cat "$sys/$(basename "$REP")p$p/size")"; done 2> /dev/null)
is_text "$got" "2048 18432
20480 40960" "... and made the same two partitions there (start, size in sectors)"

# part= on anything but an ioctl is a usage error
printf '# pcrace scenario 1\nfile F1 /x size=4096 fs=ext4 blksize=4096 opts=rw type=reg\n1 T1 pread64 F1 off=0 len=4096 part=add\n' > "$SCRATCH/bad.ops"
"$PCRACE" replay --target "$SCRATCH" "$SCRATCH/bad.ops" > /dev/null 2> "$SCRATCH/bad.err"
is "$? $(grep -c 'part= is for ioctl BLKPG' "$SCRATCH/bad.err")" "2 1" \
	"part= on a pread64: exit 2 with a one-line error"
done_testing
