#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcrace replay's oracles on hand-written scenarios, on a loop-mounted
# ext4: each fires when it should (corruption made behind the replay's
# back, a splat in the kernel log, an op blocked by a frozen file system)
# and stays quiet on a clean, heavily overlapping replay.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
make_scratch
make_target
plan 34

S=$SCRATCH

# 1200 ops: three buffered threads writing and reading overlapping,
# unaligned ranges of one file, an O_DIRECT thread on its own range of
# it, and a thread storing to and loading from a shared mapping of a
# second file that another thread also writes.
awk 'BEGIN {
	srand(7)
	print "# pcrace scenario 1"
	print "file F1 /rec/shared size=262144 fs=ext4 blksize=4096 opts=rw type=reg"
	print "file F2 /rec/mapped size=65536 fs=ext4 blksize=4096 opts=rw type=reg"
	seq = 0
	print ++seq, "T5 mmap F2 M1 off=0 len=65536 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED"
	for (i = 0; i < 240; i++) {
		for (t = 1; t <= 3; t++) {
			off = int(rand() * 240) * 512
			len = (1 + int(rand() * 16)) * 512
			op = rand() < 0.6 ? "pwrite64" : "pread64"
			print ++seq, "T" t, op, "F1 off=" off, "len=" len
		}
		off = 196608 + int(rand() * 15) * 4096
		op = i % 2 ? "pread64" : "pwrite64"
		print ++seq, "T4", op, "F1 off=" off, "len=4096 direct"
		if (i % 3 == 0)
			print ++seq, "T4 pwrite64 F2 off=" int(rand() * 60000), "len=3000"
		pg = int(rand() * 16)
		print ++seq, "T5 touch M1 page=" pg, (i % 2 ? "load" : "store")
	}
	print ++seq, "T5 msync M1 len=65536 flags=MS_SYNC"
	print ++seq, "T5 munmap M1 len=65536"
}' > "$S/overlap.ops"
nops=$(grep -c '^[0-9]' "$S/overlap.ops")
"$PCRACE" replay --order none --loops 3 --json --target "$TARGET" "$S/overlap.ops" \
	> "$S/o1.json" 2> "$S/o1.err"
ok $? "a clean replay of $nops overlapping ops, unordered, 3 trials: no false alarm"
[ "$(json "$S/o1.json" reads_checked)" -gt 100 ] 2>/dev/null
ok $? "... and its reads were checked ($(json "$S/o1.json" reads_checked) reads, $(json "$S/o1.json" reads_skipped) overlapped a write)"
"$PCRACE" replay --engine sync --json --target "$TARGET" "$S/overlap.ops" > "$S/o2.json" 2> "$S/o2.err"
ok $? "the same with the sync engine in recorded order: no false alarm"
[ -n "$(json "$S/o2.json" bytes_checked)" ] && [ "$(json "$S/o2.json" bytes_checked)" -gt 262144 ]
ok $? "... and every file was read back at the end ($(json "$S/o2.json" bytes_checked) bytes)"
# the phases before the first op: loading the plan, setting the files up
awk -v l="$(json "$S/o2.json" load_s)" -v s="$(json "$S/o2.json" setup_s)" \
	-v e="$(json "$S/o2.json" elapsed_s)" \
	'BEGIN { exit !(l > 0 && s > 0 && s < e) }'
ok $? "--json times the load ($(json "$S/o2.json" load_s) s) and the files' set-up ($(json "$S/o2.json" setup_s) s)"

# the null engine reads and writes nothing: its reads' recorded results
# must not send the data oracle to judge buffers no read filled
cat > "$S/null.ops" <<EOF
# pcrace scenario 1
file F1 /rec/null size=65536 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 pwrite64 F1 off=0 len=4096 = 4096
2 T2 pread64 F1 off=0 len=4096 = 4096
EOF
"$PCRACE" replay --engine null --loops 3 --json --target "$TARGET" "$S/null.ops" \
	> "$S/null.json" 2> "$S/null.err" &&
	[ "$(json "$S/null.json" bytes_checked)" = 0 ]
ok $? "--engine null: no data oracle, no false alarm"

# hole punching racing writes and reads of the same ranges: zeros are a
# write like any other, so no false alarm either way round
awk 'BEGIN { srand(3); print "# pcrace scenario 1"
	print "file F1 /rec/p size=262144 fs=ext4 blksize=4096 opts=rw type=reg"
	for (i = 0; i < 300; i++) {
		print ++s, "T1 pwrite64 F1 off=" int(rand() * 60) * 4096, "len=8192"
		print ++s, "T2 fallocate F1 off=" int(rand() * 60) * 4096, "len=8192 mode=FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE"
		print ++s, "T3 pread64 F1 off=" int(rand() * 60) * 4096, "len=8192"
		print ++s, "T4 pwrite64 F1 off=" int(rand() * 60) * 4096, "len=4096 direct"
	} }' > "$S/punch.ops"
# These two test the data oracle.  The kernel log is not watched: the
# O_DIRECT writes racing buffered writes and punches of the same pages
# make this host's ext4 print its own "Page cache invalidation failure on
# direct I/O" now and then (seen in bursts while the host was loaded), a
# true report of a kernel race that is not the oracle under test here.
"$PCRACE" replay --order none --loops 5 --json --no-kmsg --target "$TARGET" "$S/punch.ops" > "$S/p.json" 2> "$S/p.err"
ok $? "1,200 ops with hole punches racing writes and reads, unordered, 5 trials: no false alarm" ||
	grep -m3 -v warning "$S/p.err" | sed 's/^/# /'

# truncates racing writes that re-extend the file over the hole and
# reads of what the truncate cut: either order of a truncate and a
# write it overlapped is right, and so is either size
awk 'BEGIN { srand(5); print "# pcrace scenario 1"
	print "file F1 /rec/t size=262144 fs=ext4 blksize=4096 opts=rw type=reg"
	for (i = 0; i < 300; i++) {
		print ++s, "T1 ftruncate F1 len=" int(rand() * 4) * 4096
		print ++s, "T2 pwrite64 F1 off=" 196608 + int(rand() * 16) * 4096, "len=4096"
		print ++s, "T3 pread64 F1 off=" int(rand() * 8) * 4096, "len=16384"
		print ++s, "T4 pwrite64 F1 off=" int(rand() * 8) * 4096, "len=8192" (i % 2 ? " direct" : "")
	} }' > "$S/trunc.ops"
"$PCRACE" replay --order none --loops 20 --json --no-kmsg --target "$TARGET" "$S/trunc.ops" > "$S/t.json" 2> "$S/t.err"
ok $? "1,200 ops with truncates racing writes and reads, unordered, 20 trials: no false alarm" ||
	grep -m3 -v warning "$S/t.err" | sed 's/^/# /'

# data: a block zeroed behind the replay's back between a write and
# the read of it, 1.5 s later
cat > "$S/gap.ops" <<EOF
# pcrace scenario 1
file F1 /rec/data size=131072 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~10 pwrite64 F1 off=0 len=65536 = 65536
2 T1 +1500000 ~10 pread64 F1 off=0 len=65536 = 65536
EOF
(sleep 0.6; dd if=/dev/zero of="$TARGET/data" bs=4096 seek=2 count=1 conv=notrunc status=none) &
"$PCRACE" replay --timing recorded --target "$TARGET" --out "$S/mm" "$S/gap.ops" 2> "$S/d1.err"
rc=$?
wait
is "$rc" 1 "data: a block zeroed between write and read reproduces (exit 1)"
grep -q "data: F1 $TARGET/data off=8192 len=4096: expected op 1 (P1:T1 pwrite64 .*), found zeros (seen by op 2 " "$S/d1.err"
ok $? "... naming file, offset, the write expected, zeros found and the read that saw it"
cmp -s "$S/mm/mismatch-1.found" <(head -c 4096 /dev/zero) &&
	[ "$(stat -c %s "$S/mm/mismatch-1.expected")" = 4096 ] &&
	! cmp -s "$S/mm/mismatch-1.expected" "$S/mm/mismatch-1.found"
ok $? "... and both blocks are written to --out"
awk '/<- expected$/ { e = NR } /<- saw zeros$/ { z = NR }
	END { exit !(e && z > e) }' "$S/mm/mismatch-1.history" &&
	grep -q '^ *[0-9.]* .*op 1 (P1:T1 pwrite64 F1 off=0 len=65536) = 65536  <- expected$' \
		"$S/mm/mismatch-1.history" &&
	grep -q "^blocks and the ops' history: $S/mm/mismatch-N" "$S/d1.err"
ok $? "... with its history: the write expected, then the read that saw zeros"

# --rate: two trials fail alike; --out keeps the first one's blocks,
# the ones a one-trial replay with the same seed writes
zero_block() {	# zero_block SECONDS: page 2 zeroed every 0.1 s
	for i in $(seq $(($1 * 10))); do
		sleep 0.1
		dd if=/dev/zero of="$TARGET/data" bs=4096 seek=2 count=1 \
			conv=notrunc status=none 2>/dev/null
	done
}
zero_block 6 &
"$PCRACE" replay --rate --loops 2 --seed 77 --timing recorded --target "$TARGET" \
	--out "$S/rate" "$S/gap.ops" 2> "$S/rate.err"
wait
zero_block 3 &
"$PCRACE" replay --loops 1 --seed 77 --timing recorded --target "$TARGET" \
	--out "$S/one" "$S/gap.ops" 2> "$S/one.err"
wait
grep -q "^pcrace: 2/2 trials failed" "$S/rate.err" &&
	grep -q "REPRODUCED (data) in trial 1, seed 77:" "$S/rate.err" &&
	cmp -s "$S/rate/mismatch-1.expected" "$S/one/mismatch-1.expected"
ok $? "--rate, two trials failing: --out holds the first's blocks, the verdict's"

(sleep 0.6; head -c 4096 /dev/urandom |
	dd of="$TARGET/data" bs=4096 seek=20 count=1 conv=notrunc status=none) &
"$PCRACE" replay --timing recorded --target "$TARGET" "$S/gap.ops" 2> "$S/d2.err"
rc=$?
wait
is "$rc" 1 "data: garbage written where no op reads is caught by the final check"
grep -q "off=81920 len=4096: expected the pre-fill, found other data (seen by the final check)" "$S/d2.err"
ok $? "... as other data where the pre-fill should be"

# kernel log: a splat during the replay
if [ -w /dev/kmsg ]; then
	(sleep 0.6; echo "BUG: pcrace replay test splat $$" > /dev/kmsg) &
	"$PCRACE" replay --timing recorded --target "$TARGET" "$S/gap.ops" 2> "$S/k1.err"
	rc=$?
	wait
	is "$rc" 1 "kernel log: a BUG line during the replay reproduces"
	grep -q "REPRODUCED (splat).*kernel log: BUG: BUG: pcrace replay test splat $$" "$S/k1.err"
	ok $? "... and the verdict carries the splat's text"
	(sleep 0.6; echo "BUG: pcrace replay test splat $$" > /dev/kmsg) &
	"$PCRACE" replay --no-kmsg --timing recorded --target "$TARGET" "$S/gap.ops" 2>/dev/null
	rc=$?
	wait
	is "$rc" 0 "... and with --no-kmsg it is not looked at"
else
	skip 3 "/dev/kmsg is not writable"
fi

# hang: the second write blocks on a frozen file system
cat > "$S/hang.ops" <<EOF
# pcrace scenario 1
file F1 /rec/data size=65536 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~10 pwrite64 F1 off=0 len=4096 = 4096
2 T2 +1000000 ~10 pwrite64 F1 off=8192 len=4096 = 4096
3 T1 +1100000 ~10 fsync F1 = 0
EOF
if command -v fsfreeze > /dev/null; then
	(sleep 0.5; fsfreeze -f "$TARGET") &
	start=$(date +%s)
	timeout 60 "$PCRACE" replay --timing recorded --hang-timeout 1 --target "$TARGET" \
		"$S/hang.ops" 2> "$S/h1.err"
	rc=$?
	took=$(($(date +%s) - start))
	wait
	fsfreeze -u "$TARGET"
	is "$rc" 1 "hang: a write blocked by a frozen file system reproduces"
	grep -q "REPRODUCED (hang).*op 2 (P1:T2 pwrite64 F1 off=8192 len=4096) blocked for" "$S/h1.err"
	ok $? "... naming the blocked op"
	grep -q "^task [0-9]* (" "$S/h1.err" && grep -q '^\[<0>\]' "$S/h1.err"
	ok $? "... with the workers' kernel stacks"
	[ "$took" -le 10 ]
	ok $? "... and pcrace itself did not hang (${took} s)"
else
	skip 4 "no fsfreeze"
fi

# a hang whose task runs in the kernel (seed 3's livelock) has no stack in
# /proc: a 2 GiB O_DIRECT read of a hole zero-fills the buffer in the
# kernel for 0.4 s here (0.2 s a GiB once the buffer is faulted in)
cat > "$S/spin.ops" <<EOF
# pcrace scenario 1
file F1 /rec/hole size=4294967296 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~10 pread64 F1 off=0 len=2147483648 direct = 2147483648
EOF
timeout 60 "$PCRACE" replay --hang-timeout 0.1 --target "$TARGET" "$S/spin.ops" 2> "$S/spin.err"
is $? 1 "hang: an op running in the kernel past --hang-timeout reproduces"
if [ -e /proc/sysrq-trigger ]; then
	grep -q '^task [0-9]* (.*) state R:' "$S/spin.err" &&
		grep -q '^NMI backtrace for cpu' "$S/spin.err" &&
		grep -Eq '^ (iov_iter_zero|__iomap_dio_rw)\+' "$S/spin.err"
	ok $? "... its task shown running, with the CPUs' backtraces from sysrq-l"
else
	grep -q '^task [0-9]* (.*) state R:' "$S/spin.err" &&
		grep -q "^(a worker is running in the kernel)$" "$S/spin.err" &&
		grep -q "^(sysrq-l unavailable: no backtraces of the CPUs)$" "$S/spin.err"
	ok $? "... its task shown running (no sysrq here: its backtrace is tests/21's)"
fi

# --rate keeps going through failures and reports a Wilson interval; a
# splat every 0.4 s lands in some 0.15 s trials and not others
cat > "$S/short.ops" <<EOF
# pcrace scenario 1
file F1 /rec/data size=65536 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 pwrite64 F1 off=0 len=4096
2 T1 +150000 pread64 F1 off=0 len=4096
EOF
if [ -w /dev/kmsg ]; then
	(for i in $(seq 12); do sleep 0.4; echo "WARNING: pcrace rate test $i" > /dev/kmsg; done) &
	"$PCRACE" replay --rate --loops 12 --json --timing recorded --target "$TARGET" \
		"$S/short.ops" > "$S/r.json" 2> "$S/r.err"
	rc=$?
	wait
	n=$(json "$S/r.json" trials)
	k=$(json "$S/r.json" failures)
	[ "$rc" = 1 ] && [ "$n" = 12 ] && [ "$k" -ge 1 ] && [ "$k" -lt 12 ]
	ok $? "--rate: all 12 trials run, $k failed, exit 1"
	ci=$(sed -n 's/.*"ci95":\[\([0-9.]*\),\([0-9.]*\)\].*/\1 \2/p' "$S/r.json")
	want=$(awk -v k="$k" -v n="$n" 'BEGIN { z = 1.959964; p = k / n; d = 1 + z * z / n
		c = (p + z * z / (2 * n)) / d; h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
		printf "%.4f %.4f", c - h, c + h }')
	is "$ci" "$want" "... with the 95% Wilson interval of $k/$n"
	grep -q "^pcrace: $k/12 trials failed, rate .* (95% CI " "$S/r.err"
	ok $? "... and says so in one line"
else
	skip 3 "/dev/kmsg is not writable"
fi

# --stress: a schedule per seed, the same for the same seed
for s in 7 7 8; do
	"$PCRACE" replay --stress --seed $s --json --target "$TARGET" "$S/overlap.ops" 2>/dev/null |
		sed -n 's/.*"schedule":"\([^"]*\)".*/\1/p'
done > "$S/sched"
[ "$(sed -n 1p "$S/sched")" == "$(sed -n 2p "$S/sched")" ] &&
	[ "$(sed -n 1p "$S/sched")" != "$(sed -n 3p "$S/sched")" ] &&
	grep -q "shifted .* us, jitter <= 50 us, .* submission, .*, priority drops at ops [0-9]* [0-9]* [0-9]*" "$S/sched"
ok $? "--stress: --seed 7 twice gives one schedule, --seed 8 another ($(sed -n 3p "$S/sched"))"
"$PCRACE" replay --stress --loops 4 --json --target "$TARGET" "$S/overlap.ops" > "$S/st.json" 2>/dev/null
ok $? "--stress: 4 perturbed trials of the overlapping scenario, no false alarm"

# the target must match the recording only under --strict
sed 's/fs=ext4/fs=xfs/' "$S/gap.ops" > "$S/xfs.ops"
"$PCRACE" replay --target "$TARGET" "$S/xfs.ops" 2> "$S/s1.err"
rc=$?
is "$rc" 0 "a target unlike the recording (xfs recorded, ext4 here) replays"
grep -q "warning: target does not match the recording: /rec/data: recorded on xfs, target is ext4" "$S/s1.err"
ok $? "... with a warning saying how it differs"
"$PCRACE" replay --strict --target "$TARGET" "$S/xfs.ops" 2>/dev/null
is "$?" 125 "... and --strict makes it cannot-test (125)"

# a block device scenario on an unmounted loop device
truncate -s 16M "$S/dev.img"
dev=$(losetup -f --show "$S/dev.img")
cat > "$S/bdev.ops" <<EOF
# pcrace scenario 1
file F1 /dev/pmem0 size=16777216 fs=devtmpfs blksize=4096 opts=rw type=blk
1 T1 openat F1 fd=3 flags=O_RDWR|O_DIRECT = 3
2 T1 pwrite64 F1 off=1048576 len=65536 direct = 65536
3 T2 pwrite64 F1 off=1081344 len=4096 = 4096
4 T2 fsync F1 = 0
5 T1 ioctl F1 cmd=BLKFLSBUF = 0
6 T1 pread64 F1 off=1048576 len=65536 direct = 65536
EOF
"$PCRACE" replay --no-kmsg --json --target-dev "$dev" "$S/bdev.ops" > "$S/b.json" 2> "$S/b.err"
is "$?" 0 "a block-device scenario replays on --target-dev (buffered and O_DIRECT, BLKFLSBUF)"
is "$(json "$S/b.json" reads_checked)" 1 "... and its O_DIRECT read back was checked"
losetup -d "$dev"
done_testing
