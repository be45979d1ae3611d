#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What loading a scenario costs replay before its first op, per corpus
# trace: replay of the trace and of the scenario text `pcrace dump --ops`
# makes of it, each stopped by a target that does not exist (checked
# after the load), against `pcrace info`, which inflates and checks
# every chunk of the trace and decodes nothing: the floor for any reader
# of that file.  Median wall seconds of ROUNDS alternating runs.  With
# PCRACE_BASE=<older pcrace>, that build's trace load too.
# usage: bench/replay_load.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s pcrace
rounds=${1:-5}
base=${PCRACE_BASE:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

secs() {	# wall seconds of one run of "$@", output discarded
	local t0 t1

	t0=$(date +%s%N)
	"$@" > /dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo "scale=4; ($t1 - $t0) / 1000000000" | bc
}
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'; }

printf '%-28s %9s %7s %8s %9s %9s %10s' trace MB lines "info s" "trace s" "text s" trace/info
[ -n "$base" ] && printf ' %9s' "base s"
echo
for tr in corpora/*/trace.pcr; do
	name=$(basename "$(dirname "$tr")")
	./pcrace dump --ops "$tr" > "$tmp/ops"
	: > "$tmp/i"; : > "$tmp/t"; : > "$tmp/s"; : > "$tmp/b"
	for ((r = 0; r < rounds; r++)); do
		secs ./pcrace info "$tr" >> "$tmp/i"
		secs ./pcrace replay --target /nonexistent "$tr" >> "$tmp/t"
		secs ./pcrace replay --target /nonexistent "$tmp/ops" >> "$tmp/s"
		[ -n "$base" ] &&
			secs "$base" replay --target /nonexistent "$tr" >> "$tmp/b"
	done
	i=$(median < "$tmp/i")
	t=$(median < "$tmp/t")
	printf '%-28s %9.1f %7d %8s %9s %9s %10.1f' "$name" \
		"$(echo "$(stat -c %s "$tr") / 1048576" | bc -l)" \
		"$(grep -vc '^#' "$tmp/ops")" "$i" "$t" "$(median < "$tmp/s")" \
		"$(echo "$t / $i" | bc -l)"
	[ -n "$base" ] && printf ' %9s' "$(median < "$tmp/b")"
	echo
done
