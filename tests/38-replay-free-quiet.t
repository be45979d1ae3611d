#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data oracle stays quiet when --order free lets a recorded program's
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
# fixed in all runs tried.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
make_scratch
make_target 512M
plan 2

trace=$TOP/corpora/seed6-dax-pmd/trace.pcr
"$PCRACE" replay --order free --collide 4 --no-kmsg --loops 200 --rate --json \
	--target "$TARGET" "$trace" > "$SCRATCH/f.json" 2> "$SCRATCH/f.err"
rc=$?
is "$rc $(json "$SCRATCH/f.json" failures)" "0 0" \
	"200 unordered trials of seed 6's trace: no false alarm" ||
	grep -m3 REPRODUCED "$SCRATCH/f.err" | sed 's/^/# /'
[ "$(json "$SCRATCH/f.json" bytes_checked)" -gt 1000000 ] 2>/dev/null
ok $? "... and the oracle checked data ($(json "$SCRATCH/f.json" bytes_checked) bytes in the last trial)"
