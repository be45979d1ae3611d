#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job on its built-in default: set up, build, boot the test VM
# (Debian's 6.1 kernel, emulated NVDIMM, fsdax ext4) and, there,
#  1. record tests/workload_threads (a buffered, an O_DIRECT and an mmap
#     thread on one file) with pcrace record;
#  2. replay the trace three times with pcrace replay (io_uring, mmap and
#     sync engines, --order recorded) with all three oracles watching;
# then show the trace (header, probe manifest, counts), the scenario the
# replay ran, and the verdict; and
#  3. replay a corpus trace there: corpora/seed7-gup-dio's (Jan Kara's
#     GUP race: a direct read into a shared ext4 mapping while writeback
#     and reclaim run), which is live in Debian's 6.1 (the positive
#     control corpora/control-seed7-native), until it reproduces (at most
#     20 trials), and print the verdict.  The trace was recorded in
#     format 1; it is converted first to format 2, what pcrace record
#     writes now, whose op events replay reads without the page-cache
#     events (load_s 1.12 s against 1.62 s in the VM, one run each).
# Its exit status is that replay's: 1 reproduced (expected), 0 not.
# TRACE_DIR chooses where the traces are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make -j"$(nproc)" test-bins >/dev/null
dir=$(mktemp -d "${TRACE_DIR:-/var/tmp}/pcrace-demo.XXXXXX")
# the VM's paths exist only inside it: let its shell expand them
set +e
scripts/pcrace-vm --fs ext4-dax --timeout 900 --out "$dir" -- \
	sh -c 'mkdir -p "$PCRACE_VM_MNT/rec" "$PCRACE_VM_MNT/replay" &&
		./pcrace record -o "$PCRACE_VM_OUT/threads.pcr" -- \
		.output/tests/workload_threads "$PCRACE_VM_MNT/rec/data" 40 &&
		./pcrace replay --loops 3 --json --target "$PCRACE_VM_MNT/replay" \
		"$PCRACE_VM_OUT/threads.pcr" > "$PCRACE_VM_OUT/verdict.json"' 2>&1 |
	sed 's/^/  /'
status=${PIPESTATUS[0]}
set -e
trace=$dir/threads.pcr
[ -f "$trace" ] || { echo "demo: no trace came back from the VM" >&2; exit 125; }
./pcrace info "$trace"
echo
echo "== the scenario replayed (pcrace dump --ops), ops on the workload's file =="
./pcrace dump --ops "$trace" | grep -E '^(# pcrace|file F[0-9]+ /run/pcrace-mnt/rec)' || true
./pcrace dump --ops "$trace" | awk '$1 == "file" && $3 ~ /rec\/data$/ { id = $2 }
	$1 ~ /^[0-9]+$/ && $6 == id' | head -20
echo "  ..."
echo
echo "== verdict of 3 replays in the VM (exit $status) =="
cat "$dir/verdict.json" 2>/dev/null || echo "(no verdict)"
echo "trace kept in $trace ('./pcrace replay --help' to replay it elsewhere)"
echo

# 3: the corpus scenario, as scripts/corpora-run replays it
echo "== corpora/control-seed7-native: seed 7's trace replayed on Debian's 6.1 =="
opts=$(. corpora/control-seed7-native/scenario.sh; echo "$REPLAY_OPTS")
./pcrace convert corpora/seed7-gup-dio/trace.pcr "$dir/seed7.pcr" | sed 's/^/  /'
set +e
scripts/pcrace-vm --fs ext4 --append loglevel=4 --timeout 900 --out "$dir" -- \
	sh -c "mkdir -p \$PCRACE_VM_MNT/replay &&
		./pcrace replay --loops 20 --json --target \$PCRACE_VM_MNT/replay \
		$dir/seed7.pcr $opts > \$PCRACE_VM_OUT/corpus.json \
		2> \$PCRACE_VM_OUT/corpus.err" 2>&1 | grep -v '^pcrace-vm: console' | sed 's/^/  /'
status=${PIPESTATUS[0]}
set -e
grep -m1 -A12 REPRODUCED "$dir/corpus.err" 2>/dev/null ||
	grep -m1 "not reproduced" "$dir/corpus.err" 2>/dev/null || echo "(no verdict)"
cat "$dir/corpus.json" 2>/dev/null
echo "== exit $status (1: reproduced, as expected on this kernel) =="
exit "$status"
