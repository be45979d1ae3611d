#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# replay --collide: pairs of same-range ops of two threads that the
# recording shows close together are issued at once.  Pairs that
# overlapped in time meet; a pair in recorded order (the first ended
# before the second began) meets too, its order lifted; a pair that would
# wait on itself through the threads' other ops is not a candidate.  A
# page's first touches by two threads are candidates at any distance and
# half of each trial's pairs; a truncate or punch pairs with a read of
# what it removes.  The data oracle stays quiet, and bad arguments are
# usage errors.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
make_scratch
make_target
plan 18

S=$SCRATCH

# candidates OPS REPLAY_ARGS...: "pairs/first touches" --collide found
candidates() {
	local ops=$1

	shift
	"$PCRACE" replay --json --target "$TARGET" "$@" "$ops" > /dev/null 2> "$ops.err"
	sed -n 's/.* of \([0-9]*\) candidates (\([0-9]*\) first touches).*/\1\/\2/p' "$ops.err"
}

# T1 and T2 read the same 256 KiB while both are in flight; T3 writes
# what T4 reads, and T4 begins 3 ms after the write ended
cat > "$S/pairs.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/c size=1048576 fs=ext4 blksize=4096 opts=rw type=reg
1 P1:T1 +1000 ~500 pread64 F1 off=0 len=262144
2 P2:T2 +1100 ~500 pread64 F1 off=131072 len=262144
3 P3:T3 +5000 ~100 pwrite64 F1 off=524288 len=4096
4 P4:T4 +8100 ~100 pread64 F1 off=524288 len=4096
EOF2
"$PCRACE" replay --order none --collide 2 --collide-window 5000 --loops 4 --json \
	--target "$TARGET" "$S/pairs.ops" > "$S/a.json" 2> "$S/a.err"
ok $? "two pairs, 4 trials, order none: no false alarm"
is "$(json "$S/a.json" collide_met)/$(json "$S/a.json" collide_missed)" "8/0" \
	"both pairs met in every trial, the ordered one too"
grep -q "2 pairs drawn to collide (2 first touches)" "$S/a.json"
ok $? "the schedule says how many pairs were drawn to collide"

"$PCRACE" replay --collide 2 --collide-window 5000 --loops 2 --json \
	--target "$TARGET" "$S/pairs.ops" > "$S/r.json" 2> "$S/r.err"
is "$(json "$S/r.json" collide_met)/$(json "$S/r.json" collide_missed)" "4/0" \
	"in recorded order, the pairs are counted met without a wait"

# the window: T1 and T2 read page 0 first at +1000 and +1500 (first
# touches, a candidate at any distance), then T1 at +5000 (3.4 ms after
# T2's read ended) and T2 at +8100 (3 ms after T1's)
cat > "$S/window.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/w size=1048576 fs=ext4 blksize=4096 opts=rw type=reg
1 P1:T1 +1000 ~100 pread64 F1 off=0 len=4096
2 P2:T2 +1500 ~100 pread64 F1 off=0 len=4096
3 P1:T1 +5000 ~100 pread64 F1 off=0 len=4096
4 P2:T2 +8100 ~100 pread64 F1 off=0 len=4096
EOF2
is "$(candidates "$S/window.ops" --order none --collide 2)" "1/1" \
	"with the default 2 ms window only the first touches are a candidate"
is "$(candidates "$S/window.ops" --order none --collide 2 --collide-window 5000)" "3/1" \
	"with 5 ms, the later reads 3 ms apart are candidates too"

# first touches are half the draw, rounded up: page 0's first readers
# are 60 ms apart, then 20 window pairs on page 1; one pair a trial is
# page 0's
awk 'BEGIN { print "# pcrace scenario 1"
	print "file F1 /rec/f size=1048576 fs=ext4 blksize=4096 opts=rw type=reg"
	print 1, "P1:T1 +1000 ~100 pread64 F1 off=0 len=4096"
	print 2, "P2:T2 +61000 ~100 pread64 F1 off=0 len=4096"
	for (i = 0; i < 20; i++) {
		print 3 + 2 * i, "P1:T1", "+" (70000 + i * 1000), "~400 pread64 F1 off=4096 len=4096"
		print 4 + 2 * i, "P2:T2", "+" (70100 + i * 1000), "~400 pread64 F1 off=4096 len=4096"
	} }' > "$S/first.ops"
"$PCRACE" replay --order none --collide 1 --loops 4 --json \
	--target "$TARGET" "$S/first.ops" > "$S/f.json" 2> "$S/f.err"
is "$(json "$S/f.json" collide_met)/$(json "$S/f.json" collide_first_met)" "4/4" \
	"first touches 60 ms apart are drawn before 20 window pairs, in every trial"

# a truncate and a punch remove what a read 50 us later reads: pairs
cat > "$S/trunc.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/t size=1048576 fs=ext4 blksize=4096 opts=rw type=reg
1 P1:T1 +1000 ~100 ftruncate F1 len=65536
2 P2:T2 +1050 ~100 pread64 F1 off=131072 len=4096
3 P1:T1 +9000 ~100 fallocate F1 off=0 len=8192 mode=FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE
4 P2:T2 +9050 ~100 pread64 F1 off=4096 len=4096
5 P2:T2 +9200 ~100 pread64 F1 off=8192 len=4096
EOF2
is "$(candidates "$S/trunc.ops" --order none --collide 2)" "2/0" \
	"a truncate and a punch pair with the reads of what they remove"
is "$(candidates "$S/trunc.ops" --order none --collide 2 --collide-ops ftruncate)" "1/0" \
	"--collide-ops ftruncate keeps only the truncate's pair"
"$PCRACE" replay --collide 2 --collide-ops read,rename --target "$TARGET" "$S/trunc.ops" \
	2> "$S/t3.err"
is "$? $(wc -l < "$S/t3.err")" "2 1" "--collide-ops with an unknown kind: usage error, one line"

# a drop from the cache starts a file's first touches again
cat > "$S/drop.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/p size=1048576 fs=ext4 blksize=4096 opts=rw type=reg
1 P1:T1 +1000 ~100 pread64 F1 off=0 len=4096
2 P2:T2 +20000 ~100 pread64 F1 off=0 len=4096
3 P1:T1 +40000 ~100 fadvise F1 off=0 len=0 advice=4
4 P2:T2 +60000 ~100 pread64 F1 off=0 len=4096
5 P1:T1 +80000 ~100 pread64 F1 off=0 len=4096
EOF2
is "$(candidates "$S/drop.ops" --order free --collide 2)" "2/2" \
	"after fadvise DONTNEED the file's pages have first touches again"

# T2 writes again after T1's read ended and only then reads what T1
# read: its read waits for T1's read through its own previous op, so the
# two cannot meet
cat > "$S/dead.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/d size=1048576 fs=ext4 blksize=4096 opts=rw type=reg
1 P1:T1 +1000 ~100 pread64 F1 off=0 len=4096
2 P2:T2 +1200 ~100 pwrite64 F1 off=65536 len=4096
3 P2:T2 +1400 ~100 pread64 F1 off=0 len=4096
EOF2
"$PCRACE" replay --order none --collide 4 --json --target "$TARGET" "$S/dead.ops" \
	> "$S/d.json" 2> "$S/d.err"
ok $? "a scenario without candidates replays"
grep -q "collide: no two threads touch the same bytes" "$S/d.err"
ok $? "... and says --collide found no pair"

# on DAX a fault locks a whole PMD's entry: two threads faulting pages
# 1 and 7 of one 2 MiB range race there, on a page cache they do not
cat > "$S/dax.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/x size=2097152 fs=ext4 blksize=4096 opts=rw,relatime,dax=always type=reg
1 P1:T1 +0 ~100 mmap F1 M1 off=0 len=2097152 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED
2 P1:T1 +1000 ~500 touch M1 page=1 load
3 P1:T2 +1100 ~500 touch M1 page=7 load
EOF2
"$PCRACE" replay --order none --collide 1 --json --target "$TARGET" "$S/dax.ops" \
	> "$S/x.json" 2> "$S/x.err"
is "$(json "$S/x.json" collide_met)" "1" "faults on pages 1 and 7 of one PMD on DAX are a pair"
sed 's/,dax=always//' "$S/dax.ops" > "$S/nodax.ops"
"$PCRACE" replay --order none --collide 1 --json --target "$TARGET" "$S/nodax.ops" \
	> "$S/y.json" 2> "$S/y.err"
is "$(json "$S/y.json" collide_met)" "0" "... and not without DAX, where pages are apart"

# the oracle with many collisions: three threads writing and reading
# overlapping ranges at recorded, interleaved times
awk 'BEGIN { srand(11); print "# pcrace scenario 1"
	print "file F1 /rec/m size=262144 fs=ext4 blksize=4096 opts=rw type=reg"
	for (i = 0; i < 200; i++)
		for (t = 1; t <= 3; t++) {
			op = rand() < 0.5 ? "pwrite64" : "pread64"
			print ++s, "P" t ":T" t, "+" (i * 300 + t * 50), "~200", op,
			      "F1 off=" int(rand() * 60) * 4096, "len=8192"
		} }' > "$S/many.ops"
"$PCRACE" replay --order none --collide 64 --loops 3 --json --target "$TARGET" "$S/many.ops" \
	> "$S/m.json" 2> "$S/m.err"
ok $? "600 ops, 64 collisions a trial, 3 trials: no false alarm" ||
	grep -m3 -v warning "$S/m.err" | sed 's/^/# /'
[ "$(json "$S/m.json" collide_met)" -ge 96 ] 2>/dev/null
ok $? "... and the pairs met ($(json "$S/m.json" collide_met) met, $(json "$S/m.json" collide_missed) missed)"

"$PCRACE" replay --collide 0 --target "$TARGET" "$S/pairs.ops" 2> "$S/u.err"
rc1=$?
"$PCRACE" replay --collide 65 --target "$TARGET" "$S/pairs.ops" 2>> "$S/u.err"
is "$rc1 $? $(wc -l < "$S/u.err")" "2 2 2" "--collide 0 or 65: usage error (2), one line each"
