#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcrace replay inside the test VM, on fsdax ext4 over the emulated
# NVDIMM: a trace recorded there replays clean with every read judged; a
# block zeroed behind its back and a splat in the guest's kernel log
# reproduce; and the replay's exit status comes back out of the VM, as
# `git bisect run` needs it.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
VM=$TOP/scripts/pcrace-vm
D=$(mktemp -d /var/tmp/pcrace-vmtest.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
plan 17

cat > "$D/gap.ops" <<EOF
# pcrace scenario 1
file F1 /rec/data size=131072 fs=ext4 blksize=4096 opts=rw,dax=always type=reg
1 T1 +0 ~10 pwrite64 F1 off=0 len=65536 = 65536
2 T1 +6000000 ~10 pread64 F1 off=0 len=65536 = 65536
EOF

# two threads, ten writes each: --widen ...@T2 holds T2's ten only
awk 'BEGIN {
	print "# pcrace scenario 1"
	print "file F1 /rec/w size=65536 fs=ext4 blksize=4096 opts=rw,dax=always type=reg"
	for (i = 1; i <= 20; i++)
		print i, "T" (1 + i % 2), "pwrite64 F1 off=" (i * 512), "len=512"
}' > "$D/widen.ops"

# The guest side: everything in one boot, results in $PCRACE_VM_OUT.
cat > "$D/guest.sh" <<EOF
set -u
O=\$PCRACE_VM_OUT
M=\$PCRACE_VM_MNT
mkdir -p \$M/rec \$M/replay
$PCRACE record -o \$O/t.pcr -- $OUT/workload_threads \$M/rec/data 30 2> \$O/record.err
$PCRACE replay --json --loops 2 --target \$M/replay \$O/t.pcr > \$O/clean.json 2> \$O/clean.err
echo \$? > \$O/clean.rc
(sleep 3; dd if=/dev/zero of=\$M/replay/data bs=4096 seek=2 count=1 conv=notrunc status=none) &
$PCRACE replay --timing recorded --target \$M/replay $D/gap.ops 2> \$O/data.err
echo \$? > \$O/data.rc
wait
$PCRACE replay --engine sync --json --widen ext4_file_write_iter:20000@T2 \
	--target \$M/replay $D/widen.ops > \$O/widen.json 2> \$O/widen.err
echo \$? > \$O/widen.rc
# through io-wq workers (--uring-async), and with a second spec that
# holds only T1, where T1 never goes: still T2's ten writes only
$PCRACE replay --uring-async --json --widen ext4_file_write_iter:20000@T2 \
	--widen ext4_fallocate:20000@T1 \
	--target \$M/replay $D/widen.ops > \$O/widen-iowq.json 2> \$O/widen-iowq.err
echo \$? > \$O/widen-iowq.rc
# the last replay's status is the command's: what bisect run sees
(sleep 3; echo "BUG: pcrace vm replay splat" > /dev/kmsg) &
$PCRACE replay --timing recorded --target \$M/replay $D/gap.ops 2> \$O/splat.err
rc=\$?
wait
exit \$rc
EOF

"$VM" --fs ext4-dax --timeout 600 --out "$D/out" -- bash "$D/guest.sh" \
	> "$D/vm.out" 2> "$D/vm.err"
vm_rc=$?
O=$D/out
is "$(cat "$O/clean.rc" 2>/dev/null)" 0 "a trace recorded in the VM replays clean there, twice"
grep -q '"trials":2,"failures":0' "$O/clean.json" 2>/dev/null
ok $? "... two trials, no failure"
checked=$(sed -n 's/.*"reads_checked":\([0-9]*\).*/\1/p' "$O/clean.json" 2>/dev/null)
[ "${checked:-0}" -gt 10 ]
ok $? "... with the reads judged on fsdax ext4 (${checked:-0})"
! grep -q "warning: target does not match" "$O/clean.err" 2>/dev/null
ok $? "... on a target that matches the recording (ext4, 4 KiB, DAX)"
is "$(cat "$O/data.rc" 2>/dev/null)" 1 "a block zeroed behind the replay's back on DAX reproduces"
grep -q "found zeros" "$O/data.err" 2>/dev/null
ok $? "... as zeros where the write should be"
is "$vm_rc" 1 "a splat in the guest's kernel log reproduces; exit 1 comes out of the VM"
grep -q "kernel log: BUG: BUG: pcrace vm replay splat" "$O/splat.err" 2>/dev/null
ok $? "... with its text in the verdict"
grep -q "a splat on the console; the command's status 1 stands" "$D/vm.err"
ok $? "... and pcrace-vm lets the replay's status stand over its own crash check"
is "$(cat "$O/widen.rc" 2>/dev/null)" 0 "--widen attaches a kprobe in the VM's kernel and the replay runs"
holds=$(sed -n 's/.*"widen_holds":\([0-9]*\).*/\1/p' "$O/widen.json" 2>/dev/null)
ms=$(sed -n 's/.*"widen_ms":\([0-9.]*\).*/\1/p' "$O/widen.json" 2>/dev/null)
is "$holds" 10 "... holding ext4_file_write_iter for T2's ten writes only, not T1's"
[ "${ms%.*}" -ge 200 ] 2>/dev/null
ok $? "... 20 ms each ($ms ms in all)"
holds=$(sed -n 's/.*"widen_holds":\([0-9]*\).*/\1/p' "$O/widen-iowq.json" 2>/dev/null)
is "$(cat "$O/widen-iowq.rc" 2>/dev/null)/$holds" 0/10 \
	"... and T2's ten only when io-wq workers run them, beside a spec for T1 alone"

# fsdax xfs too: record and replay there
"$VM" --fs xfs-dax --timeout 600 --out "$D/xfs" -- \
	sh -c "mkdir -p \$PCRACE_VM_MNT/rec \$PCRACE_VM_MNT/replay &&
	       $PCRACE record -o \$PCRACE_VM_OUT/t.pcr -- $OUT/workload_threads \$PCRACE_VM_MNT/rec/data 20 &&
	       $PCRACE replay --json --target \$PCRACE_VM_MNT/replay \$PCRACE_VM_OUT/t.pcr \
		> \$PCRACE_VM_OUT/v.json" > /dev/null 2> "$D/xfs.err"
is $? 0 "fsdax xfs: a recording replays there, not reproduced (0)"
n=$(sed -n 's/.*"reads_checked":\([0-9]*\).*/\1/p' "$D/xfs/v.json" 2>/dev/null)
[ "${n:-0}" -gt 5 ]
ok $? "... with its reads judged on DAX (${n:-0})"

# the raw device: a block-device scenario on /dev/pmem0 itself
cat > "$D/pmem.ops" <<EOF
# pcrace scenario 1
file F1 /dev/pmem0 size=1073741824 fs=devtmpfs blksize=4096 opts=rw type=blk
1 T1 openat F1 fd=3 flags=O_RDWR|O_DIRECT = 3
2 T1 pwrite64 F1 off=1048576 len=65536 direct = 65536
3 T2 pwrite64 F1 off=1056768 len=4096 = 4096
4 T2 fsync F1 = 0
5 T1 ioctl F1 cmd=BLKFLSBUF = 0
6 T1 pread64 F1 off=1048576 len=65536 direct = 65536
7 T2 pread64 F1 off=1052672 len=8192 = 8192
EOF
"$VM" --fs raw --timeout 300 --out "$D/raw" -- \
	sh -c "$PCRACE replay --json --target-dev \$PCRACE_VM_DEV $D/pmem.ops > \$PCRACE_VM_OUT/v.json" \
	> /dev/null 2> "$D/raw.err"
is $? 0 "the raw fsdax device /dev/pmem0 as --target-dev: not reproduced (0)"
is "$(sed -n 's/.*"reads_checked":\([0-9]*\).*/\1/p' "$D/raw/v.json" 2>/dev/null)" 2 \
	"... and both reads of what was written were judged"
done_testing
