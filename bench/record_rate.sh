#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sustained recording rate: event_gen issues cached 4 KiB preads at fixed
# rates (3 events each) under `pcrace record`; for each rate, the events/s
# achieved, the events lost and the compressed bytes per event.
# usage: bench/record_rate.sh [SECONDS] [CALLS_PER_SEC...]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s bench-bins
secs=${1:-5}
shift || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(100000 200000 333334 450000 0)
dir=$(mktemp -d /var/tmp/pcrace-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
dd if=/dev/urandom of="$dir/f" bs=1M count=16 status=none
cat "$dir/f" > /dev/null

printf '%-14s %14s %12s %10s %12s\n' "target ev/s" "achieved ev/s" "events" "lost" "bytes/event"
for r in "${rates[@]}"; do
	./pcrace record -o "$dir/t.pcr" -- .output/bench/event_gen "$dir/f" "$r" "$secs" \
		> "$dir/gen.out" 2> "$dir/rec.err"
	read -r calls elapsed < "$dir/gen.out"
	events=$(sed -n 's/.*record: \([0-9]*\) events, \([0-9]*\) bytes.*/\1/p' "$dir/rec.err")
	bytes=$(sed -n 's/.*record: \([0-9]*\) events, \([0-9]*\) bytes.*/\2/p' "$dir/rec.err")
	lost=$(./pcrace info "$dir/t.pcr" | awk '$1 == "lost" { print $2 }')
	target=$([ "$r" = 0 ] && echo "flat out" || echo $((r * 3)))
	awk -v t="$target" -v c="$calls" -v e="$elapsed" -v n="$events" -v l="$lost" -v b="$bytes" \
		'BEGIN { printf "%-14s %14.0f %12d %10d %12.2f\n", t, 3 * c / e, n, l, b / n }'
done
