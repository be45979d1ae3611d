#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Replay throughput: pcrace replay vs fio replaying the same op stream
# (exported as a fio version 2 iolog, run by read_iolog with fio's
# io_uring engine, iodepth 1) on the same loop-mounted ext4, in one run.
# Two streams of random 4 KiB buffered reads and writes with an fsync
# every 64 ops: one thread, and four threads taking turns (every op a
# cross-thread handoff through --order recorded's gates; fio replays the
# same ops in the same order from one job), with replay's default
# placement (spread, under --order recorded) and with the workers where
# the scheduler puts them (--cpus any).  Rounds alternate; medians.
# With PCRACE_BASE=<older pcrace>, that build's ops/s too (its own default
# placement; not with --cpus).
# usage: bench/replay_vs_fio.sh [OPS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s pcrace
nops=${1:-20000}
rounds=${2:-3}
base=${PCRACE_BASE:-}
. bench/lib.sh
scratch_ext4 1G
file=$dir/mnt/data
size=$((64 << 20))

scenario() {	# scenario THREADS
	awk -v n="$nops" -v t="$1" -v size="$size" 'BEGIN {
		srand(1)
		print "# pcrace scenario 1"
		print "file F1 /rec/data size=" size " fs=ext4 blksize=4096 opts=rw type=reg"
		for (i = 1; i <= n; i++) {
			th = "T" (1 + i % t)
			if (i % 64 == 0) {
				print i, th, "fsync F1"
				continue
			}
			off = int(rand() * (size / 4096)) * 4096
			print i, th, (rand() < 0.5 ? "pread64" : "pwrite64"), "F1 off=" off, "len=4096"
		}
	}'
}

iolog() {	# the scenario's ops as a fio v2 iolog on $file
	awk -v f="$file" 'BEGIN { print "fio version 2 iolog"; print f, "add"; print f, "open" }
		$3 == "pread64" { split($5, o, "="); print f, "read", o[2], 4096 }
		$3 == "pwrite64" { split($5, o, "="); print f, "write", o[2], 4096 }
		$3 == "fsync" { print f, "sync", 0, 0 }
		END { print f, "close" }'
}

pcrace_ops() {	# ops/s of one pcrace replay [with build $2]
	"${2:-./pcrace}" replay $opts --json --no-verify --prefill-max 0 --target "$dir/mnt" "$1" 2>/dev/null |
		sed 's/.*"ops_per_s":\([0-9]*\).*/\1/'
}

fio_ops() {	# ops/s of one fio read_iolog run
	fio --name=replay --ioengine=io_uring --iodepth=1 --read_iolog="$1" \
	    --thread --output-format=json --output="$dir/fio.json" > /dev/null
	jq '.jobs[0] | ((.read.total_ios + .write.total_ios + .sync.total_ios) /
		(.job_runtime / 1000)) | floor' "$dir/fio.json"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf "%-42s %12s %12s %8s" stream "pcrace ops/s" "fio ops/s" ratio
[ -n "$base" ] && printf " %12s %8s" "base ops/s" ratio
echo
for stream in 1 "4 --cpus any" 4; do
	threads=${stream%% *}
	opts=${stream#"$threads"}
	scenario "$threads" > "$dir/s.ops"
	iolog < "$dir/s.ops" > "$dir/s.iolog"
	: > "$dir/p"
	: > "$dir/f"
	: > "$dir/b"
	for ((r = 0; r < rounds; r++)); do
		truncate -s "$size" "$file"
		fio_ops "$dir/s.iolog" >> "$dir/f"
		pcrace_ops "$dir/s.ops" >> "$dir/p"
		if [ -n "$base" ] && [ -z "$opts" ]; then	# no --cpus before
			truncate -s "$size" "$file"
			pcrace_ops "$dir/s.ops" "$base" >> "$dir/b"
		fi
	done
	p=$(median < "$dir/p")
	f=$(median < "$dir/f")
	printf "%-42s %12d %12d %8.2f" "$nops ops, $threads thread(s)$opts" "$p" "$f" \
		"$(echo "$p / $f" | bc -l)"
	if [ -s "$dir/b" ]; then
		b=$(median < "$dir/b")
		printf " %12d %8.2f" "$b" "$(echo "$b / $f" | bc -l)"
	fi
	echo
done
