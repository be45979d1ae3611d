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
# recorded ("by dep": of another thread), and "rest p99" is the p99 of
# the other gaps: the replay's own timing error.  Each input is replayed
# under --order recorded (starts and happens-before) and --order starts
# (starts only: an op that runs long overlaps the next one instead of
# holding it), alternating, each through io_uring where it can (the
# default engine) and as the recorded syscalls (--engine sync: io_uring
# hands ext4's buffered writes, fsync and fallocate to io-wq workers,
# which adds a wake-up to each).  The ext4 is on a loop device over a file in
# /dev/shm (BACKING=ram, the default: in memory, as pmem is) or in
# /var/tmp (BACKING=disk: this machine's virtio disk, whose fsync takes
# 0.3-1.5 ms and varies run to run).  With PCRACE_BASE=<older pcrace>,
# that build's p99 too under --order recorded through io_uring, in alternating runs.
# The peer: the workload run a second time under pcrace record, its gaps
# set against the first recording's the same way (bench/timing_self).
# usage: [BACKING=ram|disk] bench/replay_timing.sh [OPS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s pcrace test-bins
nops=${1:-4000}
rounds=${2:-3}
base=${PCRACE_BASE:-}
backing=${BACKING:-ram}
. bench/lib.sh
case $backing in
ram) scratch_ext4 512M ram ;;
disk) scratch_ext4 512M ;;
*) echo "BACKING: ram or disk, not '$backing'" >&2; exit 2 ;;
esac
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
	./pcrace record -o "$dir/again.pcr" -- .output/tests/workload_threads \
		"$dir/mnt/rec/data" 200 2>/dev/null || rm -f "$dir/again.pcr"
fi

field() { sed "s/.*\"$1\":\([0-9.]*\).*/\1/"; }
ops() { sed 's/.*"ops":\([0-9]*\),.*/\1/'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

run() {	# run BUILD INPUT [OPTION...]: one replay's JSON in $dir/j
	local build=$1 in=$2

	shift 2
	"$build" replay --json --timing recorded "$@" --target "$dir/mnt" \
		"$in" 2>/dev/null > "$dir/j" || true
}
keep() {	# keep VARIANT: this run's figures, to take medians of
	for f in gap_p50_us gap_p99_us gaps_held gaps_held_by_dep \
		 gap_p99_unheld_us; do
		field $f < "$dir/j" >> "$dir/$1.$f"
	done
}
variants=(recorded:auto recorded:sync starts:auto starts:sync)

echo "backing: $backing"
printf "%-16s %-9s %-6s %6s %8s %8s %5s %6s %9s" input order engine ops \
	"p50 us" "p99 us" held "by dep" "rest p99"
[ -n "$base" ] && printf " %12s" "base p99 us"
echo
for in in "${inputs[@]}"; do
	rm -f "$dir"/*.gap_* "$dir"/*.gaps_* "$dir/b99"
	for ((r = 0; r < rounds; r++)); do
		if [ -n "$base" ]; then
			run "$base" "$in"
			field gap_p99_us < "$dir/j" >> "$dir/b99"
		fi
		for v in "${variants[@]}"; do
			run ./pcrace "$in" --order "${v%:*}" --engine "${v#*:}"
			keep "$v"
		done
	done
	for v in "${variants[@]}"; do
		printf "%-16s %-9s %-6s %6s" "$(basename "$in")" "${v%:*}" \
			"${v#*:}" "$(ops < "$dir/j")"
		printf " %8s %8s %5s %6s %9s" \
			"$(median < "$dir/$v.gap_p50_us")" \
			"$(median < "$dir/$v.gap_p99_us")" \
			"$(median < "$dir/$v.gaps_held")" \
			"$(median < "$dir/$v.gaps_held_by_dep")" \
			"$(median < "$dir/$v.gap_p99_unheld_us")"
		[ -n "$base" ] && [ "$v" = recorded:auto ] &&
			printf " %12s" "$(median < "$dir/b99")"
		echo
	done
done
if [ -e "$dir/again.pcr" ]; then
	echo "the workload run again, against threads.pcr's gaps and durations:"
	.output/bench/timing_self "$dir/threads.pcr" "$dir/again.pcr"
	# replay's durations against the recorded ones, the same way
	run ./pcrace "$dir/threads.pcr" --engine sync --timing-out "$dir/t.tsv"
	echo "one replay of threads.pcr (recorded, sync), its durations:"
	awk -F'\t' '!/^#/ && $4 != "-" && $10 !~ / touch / {
		d = $4 - $2; print d < 0 ? -d : d }' "$dir/t.tsv" | sort -g |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i >= NR) i = NR - 1
			printf "dur_p50_us %.1f dur_p99_us %.1f\n", v[int(NR / 2) + 1], v[i + 1] }'
fi
