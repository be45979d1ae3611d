#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What loading a scenario costs replay before its first op, per corpus
# trace: replay of the trace (format 1, as recorded), of the same trace
# in format 2 (`pcrace convert`: replay reads its OPS chunks and skips
# the page-cache events), of the scenario text `pcrace dump --ops`
# makes of it and of the plan image `pcrace plan` makes of it (mapped,
# not built), each stopped by a target that does not exist (checked
# after the load), against `pcrace info`, which inflates and checks
# every chunk of the format 1 trace and decodes nothing: the floor for a
# reader of the whole file.  Median wall seconds of ROUNDS alternating runs.  With
# PCRACE_BASE=<older pcrace>, that build's loads of the three too.
# With --vm, the same inside the test VM (Debian's kernel, TCG), where
# every instruction of a load costs a corpus run its time; the binaries
# and traces are copied to the guest's memory first, as corpora-run
# does, so 9p reads are not timed.
# usage: bench/replay_load.sh [--vm] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${PCRACE_BASE:-}
if [ "${1:-}" = --vm ]; then
	shift
	make -s pcrace
	exec scripts/pcrace-vm --fs none --timeout 3000 -- \
		env PCRACE_BENCH_IN_VM=1 PCRACE_BASE="$base" bash "$PWD/bench/replay_load.sh" "$@"
fi
[ -n "${PCRACE_BENCH_IN_VM:-}" ] || make -s pcrace
rounds=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp pcrace "$tmp/pcrace"
[ -n "$base" ] && cp "$base" "$tmp/base"
new=$tmp/pcrace

secs() {	# wall seconds of one run of "$@", output discarded
	local t0 t1

	t0=$(date +%s%N)
	"$@" > /dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo "scale=4; ($t1 - $t0) / 1000000000" | bc
}
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'; }

printf '%-28s %9s %7s %8s %9s %9s %9s %9s %10s %9s %10s' trace MB lines "info s" \
	"trace s" "v2 s" "text s" "image s" trace/info trace/v2 text/image
[ -n "$base" ] && printf ' %9s %9s %9s %9s %9s' "base tr s" "base v2 s" "base tx s" \
	"v2/base" "text/base"
echo
for src in corpora/*/trace.pcr; do
	name=$(basename "$(dirname "$src")")
	tr=$tmp/$name.pcr
	cp "$src" "$tr"
	"$new" dump --ops "$tr" > "$tmp/ops"
	rm -f "$tmp/v2.pcr" "$tmp/img.plan"
	"$new" convert "$tr" "$tmp/v2.pcr" > /dev/null
	"$new" plan "$tr" "$tmp/img.plan" > /dev/null
	: > "$tmp/i"; : > "$tmp/t"; : > "$tmp/v"; : > "$tmp/s"; : > "$tmp/m"
	: > "$tmp/b"; : > "$tmp/bv"; : > "$tmp/bs"
	for ((r = 0; r < rounds; r++)); do
		secs "$new" info "$tr" >> "$tmp/i"
		secs "$new" replay --target /nonexistent "$tr" >> "$tmp/t"
		secs "$new" replay --target /nonexistent "$tmp/v2.pcr" >> "$tmp/v"
		secs "$new" replay --target /nonexistent "$tmp/ops" >> "$tmp/s"
		secs "$new" replay --target /nonexistent "$tmp/img.plan" >> "$tmp/m"
		if [ -n "$base" ]; then
			secs "$tmp/base" replay --target /nonexistent "$tr" >> "$tmp/b"
			secs "$tmp/base" replay --target /nonexistent "$tmp/v2.pcr" >> "$tmp/bv"
			secs "$tmp/base" replay --target /nonexistent "$tmp/ops" >> "$tmp/bs"
		fi
	done
	i=$(median < "$tmp/i")
	t=$(median < "$tmp/t")
	v=$(median < "$tmp/v")
	s=$(median < "$tmp/s")
	m=$(median < "$tmp/m")
	printf '%-28s %9.1f %7d %8s %9s %9s %9s %9s %10.1f %9.1f %10.1f' "$name" \
		"$(echo "$(stat -c %s "$tr") / 1048576" | bc -l)" \
		"$(grep -vc '^#' "$tmp/ops")" "$i" "$t" "$v" "$s" "$m" \
		"$(echo "$t / $i" | bc -l)" "$(echo "$t / $v" | bc -l)" \
		"$(echo "$s / $m" | bc -l)"
	if [ -n "$base" ]; then
		bs=$(median < "$tmp/bs")
		bv=$(median < "$tmp/bv")
		printf ' %9s %9s %9s %9.2f %9.2f' "$(median < "$tmp/b")" "$bv" "$bs" \
			"$(echo "$v / $bv" | bc -l)" "$(echo "$s / $bs" | bc -l)"
	fi
	echo
done
