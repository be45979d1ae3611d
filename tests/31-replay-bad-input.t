#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcrace replay on bad input and unsafe targets: one clear line, the right
# exit code (2), and nothing written anywhere.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
make_scratch
make_target
plan 45

S=$SCRATCH
NAME=pcrace-must-not-exist-$$
cat > "$S/good.ops" <<EOF
# pcrace scenario 1
file F1 /rec/$NAME size=8192 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 pwrite64 F1 off=0 len=4096 = 4096
EOF

fails() {	# fails EXPECTED_CODE PATTERN DESCRIPTION -- ARGS...
	local want=$1 pat=$2 desc=$3 rc
	shift 4
	"$PCRACE" replay "$@" > "$S/out" 2> "$S/err"
	rc=$?
	if [ "$rc" = "$want" ] && [ "$(wc -l < "$S/err")" = 1 ] &&
	   grep -q -- "$pat" "$S/err"; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		echo "#   exit $rc (want $want); stderr:"
		sed 's/^/#   /' "$S/err"
	fi
}

fails 2 "name one trace or scenario" "no input" --
# --drop-thread: a thread the scenario has, whose ops the others can do
# without (here T1's mmap is T2's mapping)
cat > "$S/two.ops" <<EOF
# pcrace scenario 1
file F1 /rec/$NAME size=8192 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED
2 T2 touch M1 page=0 store
3 T3 pwrite64 F1 off=4096 len=4096 = 4096
EOF
fails 2 "--drop-thread 'X3': a thread as the scenario names it" "--drop-thread not T<n>" -- \
	--drop-thread X3 --target "$TARGET" "$S/two.ops"
fails 2 "two.ops: --drop-thread T9: no such thread" "--drop-thread of a thread the scenario lacks" -- \
	--drop-thread T9 --target "$TARGET" "$S/two.ops"
fails 2 "op 2 uses a mapping before its mmap (or its mmap's thread is dropped)" \
	"--drop-thread of the thread whose mmap another uses" -- --drop-thread T1 --target "$TARGET" "$S/two.ops"
fails 2 "no ops left to replay (--drop-thread)" "--drop-thread of every thread" -- \
	--drop-thread T1 --drop-thread T2 --drop-thread T3 --target "$TARGET" "$S/two.ops"
fails 2 "name a target" "no target" -- "$S/good.ops"
fails 2 "$S/missing.ops: No such file" "a missing input file" -- --target "$TARGET" "$S/missing.ops"
fails 2 "target $S/nowhere: No such file or directory" "a missing target directory" -- --target "$S/nowhere" "$S/good.ops"
fails 2 "is on the root file system" "a target on the root file system" -- --target /var/tmp "$S/good.ops"
[ ! -e "/var/tmp/$NAME" ]
ok $? "... and nothing was created there"
fails 2 "on the root file system" "a --map into the root file system" -- --map "/rec=/var/tmp" "$S/good.ops"

root_dev=$(findmnt -no SOURCE /)
if [ -b "$root_dev" ]; then
	sed "s|/rec/$NAME size=8192 fs=ext4|/dev/rootdisk size=8192 fs=devtmpfs|; s/type=reg/type=blk/" \
		"$S/good.ops" > "$S/dev.ops"
	fails 2 "target device $root_dev holds the root file system; refusing" \
		"the root file system's device as --target-dev" -- --target-dev "$root_dev" "$S/dev.ops"
else
	skip 1 "the root file system is not on a block device"
fi
sed "s|/rec/$NAME size=8192 fs=ext4|/dev/pmem0 size=8192 fs=devtmpfs|; s/type=reg/type=blk/" \
	"$S/good.ops" > "$S/dev.ops"
before=$(md5sum < "$S/target.img")
fails 2 "target device $TARGET_DEV is mounted; refusing" "a mounted device as --target-dev" \
	-- --target-dev "$TARGET_DEV" "$S/dev.ops"
sync
is "$(md5sum < "$S/target.img")" "$before" "... and the device was not written"
fails 2 "not a block device" "a character device as --target-dev" -- --target-dev /dev/null "$S/dev.ops"
fails 2 "is a block device: name a --target-dev" "a device scenario without --target-dev" \
	-- --target "$TARGET" "$S/dev.ops"

# malformed scenarios: file and line named
bad() {	# bad PATTERN DESCRIPTION LINE...
	local pat=$1 desc=$2
	shift 2
	{ echo "# pcrace scenario 1"; printf '%s\n' "$@"; } > "$S/bad.ops"
	fails 2 "$pat" "$desc" -- --target "$TARGET" "$S/bad.ops"
}
bad "bad.ops:3: unknown op 'frobnicate'" "an unknown op" \
	"file F1 /rec/a size=0" "1 T1 frobnicate F1"
bad "bad.ops:2: pwrite64 needs a declared file F<n>" "an undeclared file" \
	"1 T1 pwrite64 F3 off=0 len=1"
bad "bad.ops:3: touch needs a mapping M<n> made by an earlier mmap" "a touch of no mapping" \
	"file F1 /rec/a size=0" "1 T1 touch M1 page=0 store"
bad "bad.ops:3: off: 'x' is not a number" "a bad number" \
	"file F1 /rec/a size=0" "1 T1 pwrite64 F1 off=x len=1"
bad "bad.ops:3: flags: cannot parse 'O_BOGUS'" "an unknown flag" \
	"file F1 /rec/a size=0" "1 T1 openat F1 flags=O_BOGUS"
bad "bad.ops:3: bad thread 'X1'" "a bad thread name" \
	"file F1 /rec/a size=0" "1 X1 fsync F1"
bad "op 1 appears twice" "a duplicate sequence number" \
	"file F1 /rec/a size=0" "1 T1 fsync F1" "1 T2 fsync F1"
bad "after=5 names no earlier op" "an ordering point on no earlier op" \
	"file F1 /rec/a size=0" "1 T1 fsync F1 after=5"
bad "bad.ops:4: madvise off=5000: not a page inside its mapping" "madvise off= not a page of its mapping" \
	"file F1 /rec/a size=8192" "1 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ flags=MAP_SHARED" \
	"2 T1 madvise M1 off=5000 len=4096 advice=MADV_DONTNEED"
bad "bad.ops:3: colour=100: a page-aligned offset below 2 MiB, on an mmap" "a colour that is no page offset" \
	"file F1 /rec/a size=8192" "1 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ flags=MAP_SHARED colour=100"
bad "bad.ops:4: buf=M1+4096: len=8192 runs past the mapping's end" "a buffer past its mapping's end" \
	"file F1 /rec/a size=8192" "1 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ flags=MAP_SHARED" \
	"2 T1 pread64 F1 off=0 len=8192 buf=M1+4096"
# poisoning is for pmem: off DAX it would take a page of this machine's RAM
bad "op 2 (madvise MADV_HWPOISON) would poison a page of this machine's RAM: .* is not on DAX" \
	"MADV_HWPOISON on a file not on DAX, without --allow-poison" \
	"file F1 /rec/a size=8192" "1 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ flags=MAP_SHARED" \
	"2 T1 madvise M1 off=0 len=4096 advice=MADV_HWPOISON"
# a line that repeats its thread's last op is copied, not parsed again
# (plan_parse.c, struct op_memo): what would be wrong with it still is
words=$(printf ' direct%.0s' $(seq 24))
bad "bad.ops:4: more than 32 words" "a repeated op line, past 32 words with its times" \
	"file F1 /rec/a size=8192" "1 T1 pread64 F1 off=0 len=4096$words = 4096" \
	"2 T1 +5 ~3 pread64 F1 off=0 len=4096$words = 4096"
bad "bad.ops:4: mapping M1 made twice" "a repeated mmap line" \
	"file F1 /rec/a size=8192" "1 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ flags=MAP_SHARED" \
	"2 T1 mmap F1 M1 off=0 len=8192 prot=PROT_READ flags=MAP_SHARED"
bad "bad.ops:4: bad duration '~x'" "a repeated op line with a bad duration" \
	"file F1 /rec/a size=8192" "1 T1 +1 ~2 fsync F1 = 0" "2 T1 +3 ~x fsync F1 = 0"
printf '# pcrace scenario 2\n1 T1 fsync F1\n' > "$S/v2.ops"
fails 2 "scenario format 2, this pcrace reads 1" "a newer scenario format" -- --target "$TARGET" "$S/v2.ops"
: > "$S/empty.ops"
fails 2 "empty scenario" "an empty file" -- --target "$TARGET" "$S/empty.ops"

# options
fails 2 "scale=X: X > 0" "--timing scale=0" -- --timing scale=0 --target "$TARGET" "$S/good.ops"
fails 2 "--engine: auto, sync or null" "an unknown engine" -- --engine foo --target "$TARGET" "$S/good.ops"
fails 2 "--cpus: any, one, spread or a list of CPU numbers, not 'two'" "an unknown --cpus" -- --cpus two --target "$TARGET" "$S/good.ops"
fails 2 "--loops: '0' is not a count" "--loops 0" -- --loops 0 --target "$TARGET" "$S/good.ops"
fails 2 "--drop 'rec': an absolute path prefix" "a relative --drop" -- --drop rec --target "$TARGET" "$S/good.ops"
fails 2 "--splat '(': " "a --splat that is no regex" -- --splat '(' --target "$TARGET" "$S/good.ops"

# --widen where it cannot work: cannot test (125), before anything runs
if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	fails 125 "this kernel has no function pcrace_no_such_fn" "--widen of a function the kernel lacks" \
		-- --widen pcrace_no_such_fn:10 --target "$TARGET" "$S/good.ops"
else
	fails 125 "--widen needs kprobes, which this kernel does not offer" "--widen without kprobes" \
		-- --widen filemap_read:10 --target "$TARGET" "$S/good.ops"
fi
fails 2 "--widen takes FUNC" "a --widen without a time" -- --widen filemap_read --target "$TARGET" "$S/good.ops"

# traces: cut and corrupted ones are refused before anything runs
if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ] &&
   "$PCRACE" record -o "$S/t.pcr" -- "$OUT/workload_mixed" "$S/w" 2>/dev/null; then
	head -c $(($(stat -c %s "$S/t.pcr") / 2)) "$S/t.pcr" > "$S/cut.pcr"
	fails 2 "trace is truncated" "a truncated trace" -- --target "$TARGET" "$S/cut.pcr"
	cp "$S/t.pcr" "$S/flip.pcr"
	printf '\xff\xff\xff\xff' | dd of="$S/flip.pcr" bs=1 seek=40 conv=notrunc status=none
	fails 2 "flip.pcr" "a corrupted trace" -- --target "$TARGET" "$S/flip.pcr"
else
	skip 2 "cannot record a trace here"
fi
is "$(ls -A "$TARGET")" "lost+found" "nothing was created in the target by any refused run"
# and one that is not refused: the other threads' ops replay
"$PCRACE" replay --json --engine null --drop-thread T3 --target "$TARGET" "$S/two.ops" > "$S/dt.json" 2> /dev/null
is "$? $(json "$S/dt.json" ops)" "0 2" "--drop-thread T3: T1's and T2's two ops replayed, not T3's"
done_testing
