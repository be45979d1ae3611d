#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/timing_self, the peer bench/replay_timing.sh sets replay's timing
# error against: a second recording's gaps against the first's, by the
# measure replay's --timing recorded figures use.  Threads are matched by
# their ops, not their names; a touch (fault) a run does not repeat is
# left out with the gaps next to it; threads whose ops differ are an
# error.  Matched ops' durations are set against each other too.
. "$(dirname "$0")/lib.sh"
SELF=$TOP/.output/bench/timing_self
[ -x "$SELF" ] || skip_all "bench/timing_self not built (make test-bins)"
make_scratch
plan 5

S=$SCRATCH
head='# pcrace scenario 1
file F1 /rec/f size=262144 fs=ext4 blksize=4096 opts=rw type=reg'
map='mmap F1 M1 off=0 len=262144 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED = 0'
cat > "$S/a.ops" <<EOF
$head
1 T1 +0 ~5 $map
2 T2 +100 ~5 pwrite64 F1 off=0 len=4096 = 4096
3 T1 +200 ~0 touch M1 page=1 store
4 T1 +300 ~0 touch M1 page=2 store
5 T2 +400 ~5 pread64 F1 off=0 len=4096 = 4096
6 T1 +500 ~5 pread64 F1 off=8192 len=4096 = 4096
EOF
# run again: the writer first (so named T1), page 2's store did not
# fault, and the first read took 20 us longer
cat > "$S/b.ops" <<EOF
$head
1 T1 +0 ~5 pwrite64 F1 off=0 len=4096 = 4096
2 T2 +50 ~5 $map
3 T2 +300 ~0 touch M1 page=1 store
4 T1 +420 ~25 pread64 F1 off=0 len=4096 = 4096
5 T2 +530 ~5 pread64 F1 off=8192 len=4096 = 4096
EOF
sed 's/pread64 F1 off=0 /pread64 F1 off=4096 /' "$S/b.ops" > "$S/c.ops"

is "$("$SELF" "$S/a.ops" "$S/a.ops")" "ops 6 matched 6 gaps 5 gap_p50_us 0.0 gap_p99_us 0.0 dur_p50_us 0.0 dur_p99_us 0.0" \
	"a recording against itself: every gap and duration the same"
# A's gaps are 100 us each; B's, in A's order: -50 (its mmap came after
# the write), 300 and, past the unmatched touch, 110; durations: one of
# the four ops other than touches differs, by 20 us
is "$("$SELF" "$S/a.ops" "$S/b.ops")" "ops 6 matched 5 gaps 3 gap_p50_us 150.0 gap_p99_us 200.0 dur_p50_us 0.0 dur_p99_us 20.0" \
	"against a second run: threads matched by their ops, an unrepeated touch left out, durations compared"
"$SELF" "$S/a.ops" "$S/c.ops" > /dev/null 2> "$S/c.err"
is "$?" 2 "a thread whose ops the second run does not do: exit 2"
is "$(cat "$S/c.err")" "timing_self: $S/a.ops's thread P1:T2 does no thread's ops in $S/c.ops" \
	"... in one line naming it"
"$SELF" "$S/a.ops" "$S/none.ops" > /dev/null 2>&1
is "$?" 2 "a recording that is not there: exit 2"
done_testing
