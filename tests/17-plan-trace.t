#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Replay builds a trace's plan from its ops as numbers (replay/plan_trace.c),
# not through the scenario text `pcrace dump --ops` makes of it.  Both must
# plan the same: every file, mapping, thread, op and wait, compared field
# by field (tests/plan_compare.c), for every corpus trace in format 1 and
# converted to format 2, and for workloads recorded here that have what
# the corpora lack (io_uring, preadv2, fallocate, msync).
. "$(dirname "$0")/lib.sh"
make_scratch
[ -x "$OUT/plan_compare" ] || skip_all "tests/plan_compare not built (make test-bins)"
traces=("$TOP"/corpora/*/trace.pcr)
plan $((2 * ${#traces[@]} + 4))

for t in "${traces[@]}"; do
	name=$(basename "$(dirname "$t")")
	out=$("$OUT/plan_compare" "$t")
	ok $? "$name, format 1: $out"
	"$PCRACE" convert "$t" "$SCRATCH/$name.pcr" > /dev/null
	out=$("$OUT/plan_compare" "$SCRATCH/$name.pcr")
	ok $? "$name, format 2: $out"
done

if [ "$(id -u)" != 0 ] || [ ! -r /sys/kernel/btf/vmlinux ]; then
	skip 2 "recording needs root and BTF"
else
	"$PCRACE" record -o "$SCRATCH/mixed.pcr" -- "$OUT/workload_mixed" \
		"$SCRATCH/data" 2>/dev/null
	out=$("$OUT/plan_compare" "$SCRATCH/mixed.pcr")
	ok $? "a recording of tests/workload_mixed: $out"
	mkdir -p "$SCRATCH/rec"
	"$PCRACE" record -o "$SCRATCH/threads.pcr" -- "$OUT/workload_threads" \
		"$SCRATCH/rec/data" 40 2>/dev/null
	out=$("$OUT/plan_compare" "$SCRATCH/threads.pcr")
	ok $? "a recording of tests/workload_threads: $out"
fi

# the comparison sees one op's length changed by one byte in the text
s3=$TOP/corpora/seed3-generic270/trace.pcr
"$PCRACE" dump --ops "$s3" |
	awk '$1 == 1000 { for (i = 1; i <= NF; i++) if ($i ~ /^len=/) $i = "len=" substr($i, 5) + 1 } { print }' \
	> "$SCRATCH/s3.ops"
out=$("$OUT/plan_compare" "$s3" "$SCRATCH/s3.ops")
[[ "$?:$out" =~ ^1:.*:\ op\ [0-9]+\ differs$ ]]
ok $? "a plan one length apart is told apart: $out"
"$PCRACE" dump --ops "$s3" > "$SCRATCH/s3.ops"
out=$("$OUT/plan_compare" "$s3" "$SCRATCH/s3.ops")
ok $? "and the text unchanged is the same: $out"
done_testing
