#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Timing fidelity of --timing recorded: p50 and p99 of |replayed gap -
# recorded gap| between consecutive op starts, as pcrace replay --json
# reports them, for (1) a synthetic 4-thread stream of 4 KiB buffered
# reads and writes with random gaps of 20-500 us, and (2) a recording of
# tests/workload_threads (buffered, O_DIRECT and mmap threads), both on a
# loop-mounted ext4.  Medians over ROUNDS.  "held" counts the gaps that
# came out late because an op the next one had to wait for (its thread's
# op before it, or one of another thread it depends on) ran longer than
# recorded, and "rest p99" is the p99 of the other gaps: the replay's own
# timing error.  With PCRACE_BASE=<older pcrace>, that build's p99 too,
# in alternating runs.
# usage: bench/replay_timing.sh [OPS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s pcrace test-bins
nops=${1:-4000}
rounds=${2:-3}
base=${PCRACE_BASE:-}
. bench/lib.sh
scratch_ext4 512M
mkdir "$dir/mnt/rec"

awk -v n="$nops" 'BEGIN {
	srand(2)
	print "# pcrace scenario 1"
	print "file F1 /rec/data size=16777216 fs=ext4 blksize=4096 opts=rw type=reg"
	t = 0
	for (i = 1; i <= n; i++) {
		t += 20 + int(rand() * 480)
		off = int(rand() * 4096) * 4096
		print i, "T" (1 + int(rand() * 4)), "+" t, "~5",
		      (rand() < 0.5 ? "pread64" : "pwrite64"), "F1 off=" off, "len=4096"
	}
}' > "$dir/synthetic.ops"
inputs=("$dir/synthetic.ops")
if ./pcrace record -o "$dir/threads.pcr" -- .output/tests/workload_threads \
	"$dir/mnt/rec/data" 200 2>/dev/null; then
	inputs+=("$dir/threads.pcr")
fi

field() { sed "s/.*\"$1\":\([0-9.]*\).*/\1/"; }
ops() { sed 's/.*"ops":\([0-9]*\),.*/\1/'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

run() {	# run BUILD INPUT: one replay's JSON in $dir/j
	"$1" replay --json --timing recorded --target "$dir/mnt" "$2" \
		2>/dev/null > "$dir/j" || true
}

printf "%-34s %6s %10s %10s %6s %12s" input ops "p50 us" "p99 us" held \
	"rest p99 us"
[ -n "$base" ] && printf " %12s" "base p99 us"
echo
for in in "${inputs[@]}"; do
	: > "$dir/p50"
	: > "$dir/p99"
	: > "$dir/b99"
	: > "$dir/held"
	: > "$dir/r99"
	for ((r = 0; r < rounds; r++)); do
		if [ -n "$base" ]; then
			run "$base" "$in"
			field gap_p99_us < "$dir/j" >> "$dir/b99"
		fi
		run ./pcrace "$in"
		field gap_p50_us < "$dir/j" >> "$dir/p50"
		field gap_p99_us < "$dir/j" >> "$dir/p99"
		field gaps_held < "$dir/j" >> "$dir/held"
		field gap_p99_unheld_us < "$dir/j" >> "$dir/r99"
	done
	printf "%-34s %6s %10s %10s %6s %12s" "$(basename "$in")" \
		"$(ops < "$dir/j")" "$(median < "$dir/p50")" \
		"$(median < "$dir/p99")" "$(median < "$dir/held")" \
		"$(median < "$dir/r99")"
	[ -n "$base" ] && printf " %12s" "$(median < "$dir/b99")"
	echo
done
