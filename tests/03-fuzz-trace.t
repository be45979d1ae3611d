#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The trace parser under libFuzzer with ASan and UBSan for a bounded time
# (PCRACE_FUZZ_SECONDS, default 20), seeded with real traces: any crash,
# leak or undefined behaviour fails the test and leaves the input behind.
. "$(dirname "$0")/lib.sh"
F=$TOP/.output/fuzz/fuzz_trace
[ -x "$F" ] || skip_all "fuzz harness not built (clang's libFuzzer runtime: libclang-rt-14-dev)"
D=$(mktemp -d /var/tmp/pcrace-fuzz.XXXXXX)
plan 1

# seeds: each input starts with a byte choosing the target, its value mod 6
# (see the harness)
mkdir -p "$D/corpus"
if [ "$(id -u)" = 0 ] && "$PCRACE" record -o "$D/seed.pcr" -- true 2>/dev/null; then
	for sel in 0 1 2; do
		{ printf "\\x0$sel"; cat "$D/seed.pcr"; } > "$D/corpus/seed$sel"
	done
fi
printf '\x02format_version\t1\nkernel_release\t6.1\n' > "$D/corpus/meta"
printf '\x08254:0\t12\t/f\t0\t0100644\text4\t4096\trw\t254:0\n' > "$D/corpus/file"
# a plan image damaged at one byte (5)
printf '\x05\x01\x00\x01' > "$D/corpus/image"
# a scenario (3), and a trace of op events (4): fd 4 bound to the file,
# a pwrite64 of 4096 bytes on it
"$PCRACE" dump --ops "$TOP/corpora/seed4-generic418/trace.pcr" | head -40 |
	{ printf '\x03'; cat; } > "$D/corpus/scenario"
printf '\x04\x00\x00\x01\x03\x0c\x05\x00\x00\x02\x00\x01\x03\x03\x0e\x07\x00\x03\x00\x01\x03\x07\x00\x00\x00' \
	> "$D/corpus/ops"

secs=${PCRACE_FUZZ_SECONDS:-20}
"$F" -max_total_time="$secs" -max_len=65536 -artifact_prefix="$D/" \
	"$D/corpus" > "$D/log" 2>&1
rc=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$D/log")
ok $rc "no crash, leak or UB in ${secs}s of fuzzing (${runs:-?} runs)"
if [ $rc -ne 0 ]; then
	grep -E 'ERROR|SUMMARY|runtime error' "$D/log" | head -5 | sed 's/^#*/#   /'
	echo "#   inputs and log kept in $D"
else
	rm -rf "$D"
fi
done_testing
