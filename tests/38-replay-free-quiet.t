#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --order free: an op on a mapping another thread makes still waits for
# its mmap, and the data oracle stays quiet when a recorded program's
# threads run in any order.  Seed 6's trace (a file created with
# open(O_TRUNC) and fallocate by one thread, faulted through two mappings
# by two more, and rewritten with pwrite by a fourth) replayed on a plain
# ext4 (no DAX: no kernel race to find) caught two false alarms:
#  - a pwrite still in flight when open(O_TRUNC) ended, while the model's
#    size was already 0, kept its bytes: it may have landed first and
#    been cut (about 1 trial in 20);
#  - a store's page was clipped to the model's size twice, before and
#    after another thread's fallocate grew it, and stored more than its
#    pattern covered (about 1 in 200).
# This is a statistical test: 200 trials caught the first before it was
# fixed in all runs tried.  Seed 7's trace unordered let the main thread
# unmap the mapping a thread's O_DIRECT reads land in while they were on
# their way (7 of 10 trials failed: the read failed after GUP had moved
# part of the data, and a failed read was taken to have changed
# nothing).  Now a munmap waits for the ops of other threads recorded on
# its mapping before it, and a read through a mapping that fails leaves
# the range unknown all the same.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
make_scratch
make_target 512M
plan 4

# T2 faults M1 as soon as it starts; T1 makes M1 after 50 writes
awk 'BEGIN { print "# pcrace scenario 1"
	print "file F1 /rec/m size=65536 fs=ext4 blksize=4096 opts=rw type=reg"
	print 1, "P1:T1 +0 ~10 openat F1 fd=3 flags=O_RDWR = 3"
	for (i = 0; i < 50; i++)
		print 2 + i, "P1:T1", "+" (10 + i * 10), "~5 pwrite64 F1 off=" (i % 16) * 4096, "len=4096 = 4096"
	print 52, "P1:T1 +600 ~10 mmap F1 M1 off=0 len=65536 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED = 0"
	print 53, "P1:T2 +700 ~10 touch M1 page=3 store"
	print 54, "P1:T2 +710 ~10 touch M1 page=9 load" }' > "$SCRATCH/map.ops"
"$PCRACE" replay --order free --loops 5 --json --target "$TARGET" "$SCRATCH/map.ops" \
	> "$SCRATCH/m.json" 2> "$SCRATCH/m.err"
is "$? $(json "$SCRATCH/m.json" reads_checked)" "0 1" \
	"a touch waits for the mmap another thread makes (its load was checked)"

trace=$TOP/corpora/seed6-dax-pmd/trace.pcr
"$PCRACE" replay --order free --collide 4 --no-kmsg --loops 200 --rate --json \
	--target "$TARGET" "$trace" > "$SCRATCH/f.json" 2> "$SCRATCH/f.err"
rc=$?
is "$rc $(json "$SCRATCH/f.json" failures)" "0 0" \
	"200 unordered trials of seed 6's trace: no false alarm" ||
	grep -m3 REPRODUCED "$SCRATCH/f.err" | sed 's/^/# /'
[ "$(json "$SCRATCH/f.json" bytes_checked)" -gt 1000000 ] 2>/dev/null
ok $? "... and the oracle checked data ($(json "$SCRATCH/f.json" bytes_checked) bytes in the last trial)"

"$PCRACE" replay --order free --no-kmsg --loops 10 --rate --json --target "$TARGET" \
	"$TOP/corpora/seed7-gup-dio/trace.pcr" > "$SCRATCH/g.json" 2> "$SCRATCH/g.err"
is "$? $(json "$SCRATCH/g.json" failures) $(json "$SCRATCH/g.json" result_diffs)" "0 0 0" \
	"10 unordered trials of seed 7's trace: munmap waits for the reads into its mapping" ||
	grep -m3 'REPRODUCED\|note' "$SCRATCH/g.err" | sed 's/^/# /'
