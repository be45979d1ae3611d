#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The happens-before replay keeps (--order recorded and none): an op
# waits for the ops of other threads that had ended when it started.  A
# touch's end is not recorded (its fault's tracepoint fires on entry):
# it had ended by its thread's next op, and an op of another thread that
# started before then does not wait for it.  Both ways compute_deps()
# goes: over each of a few threads, and over a heap with more than 8.
. "$(dirname "$0")/lib.sh"
[ -x "$OUT/plan_deps" ] || skip_all "tests/plan_deps not built (make test-bins)"
make_scratch
plan 6

S=$SCRATCH
cat > "$S/few.ops" <<'OPS'
# pcrace scenario 1
file F1 /rec/f size=262144 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~5 mmap F1 M1 off=0 len=262144 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED = 0
2 T1 +100 ~0 touch M1 page=1 store
3 T2 +110 ~5 pwrite64 F1 off=0 len=4096 = 4096
4 T1 +200 ~50 pread64 F1 off=8192 len=4096 = 4096
5 T3 +210 ~5 pread64 F1 off=0 len=4096 = 4096
6 T1 +300 ~0 touch M1 page=2 store
7 T2 +305 ~5 pread64 F1 off=4096 len=4096 = 4096
OPS
# nine more threads, each with one op after all the others
{ cat "$S/few.ops"
  for t in $(seq 4 12); do
	echo "$((t + 4)) T$t +$((1000 + t)) ~1 pread64 F1 off=0 len=4096 = 4096"
  done; } > "$S/many.ops"

for n in few many; do
	"$OUT/plan_deps" "$S/$n.ops" > "$S/$n.deps"
	is "$(sed -n 3p "$S/$n.deps")" "3 P1:T2: P1:T1#1" \
		"$n threads: an op begun while another thread's touch may still fault waits for that thread's op before it only"
	is "$(sed -n 5p "$S/$n.deps")" "5 P1:T3: P1:T1#2 P1:T2#1" \
		"... one begun after that thread's next op waits for the touch (and not the op still running)"
	is "$(sed -n 7p "$S/$n.deps")" "7 P1:T2: P1:T1#4 P1:T3#1" \
		"... a thread's last touch ends where it starts"
done
