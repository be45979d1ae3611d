#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Recording overhead on fio jobs, in one run: each job's IOPS with nothing
# attached, under `pcrace record`, and under bpftrace attached to the same
# tracepoints (syscalls, filemap add/delete/fault/get_pages/map_pages)
# writing every event to a file.  Two floors run beside them
# (bench/probe_floor): empty programs on the hooks a cached read fires
# (sys_enter, mm_filemap_get_pages, sys_exit), and the least a ring-buffer
# recorder must do there.  Modes alternate within each round and the
# median of ROUNDS is reported, as ratios to the detached run.
# With PCRACE_BASE=/path/to/other/pcrace, that build runs too, in the
# same rounds, so a change to the probes is measured before and after.
# usage: bench/record_overhead.sh [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s pcrace bench-bins
secs=${1:-10}
rounds=${2:-3}
dir=$(mktemp -d /var/tmp/pcrace-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
f=$dir/data
dd if=/dev/urandom of="$f" bs=1M count=256 status=none
cat "$f" > /dev/null	# cached: the reads measure the traced path, not the disk

job() {	# job NAME -> fio options
	local common="--name=$1 --filename=$f --size=256M --bs=4k --runtime=$secs --time_based --thread --numjobs=1 --invalidate=0 --output-format=json --output=$dir/out.json"
	case $1 in
	randread)  echo "$common --ioengine=psync --rw=randread" ;;
	randwrite) echo "$common --ioengine=psync --rw=randwrite" ;;
	mmap)      echo "$common --ioengine=mmap --rw=randrw" ;;
	# a job that waits on the disk, for scale: O_DIRECT reads
	directread) echo "$common --ioengine=psync --rw=randread --direct=1" ;;
	esac
}

bt_script='
tracepoint:raw_syscalls:sys_enter /pid == cpid/ { printf("%llu %d enter %ld %lx %lx %lx %lx\n", nsecs, tid, args->id, args->args[0], args->args[1], args->args[2], args->args[3]); }
tracepoint:raw_syscalls:sys_exit /pid == cpid/ { printf("%llu %d exit %ld %ld\n", nsecs, tid, args->id, args->ret); }
tracepoint:filemap:mm_filemap_add_to_page_cache /pid == cpid/ { printf("%llu %d add %u %lu %lu %lx\n", nsecs, tid, args->s_dev, args->i_ino, args->index, args->pfn); }
tracepoint:filemap:mm_filemap_delete_from_page_cache /pid == cpid/ { printf("%llu %d del %u %lu %lu %lx\n", nsecs, tid, args->s_dev, args->i_ino, args->index, args->pfn); }
tracepoint:filemap:mm_filemap_fault /pid == cpid/ { printf("%llu %d fault %u %lu %lu\n", nsecs, tid, args->s_dev, args->i_ino, args->index); }
tracepoint:filemap:mm_filemap_get_pages /pid == cpid/ { printf("%llu %d get %u %lu %lu %lu\n", nsecs, tid, args->s_dev, args->i_ino, args->index, args->last_index); }
tracepoint:filemap:mm_filemap_map_pages /pid == cpid/ { printf("%llu %d map %u %lu %lu %lu\n", nsecs, tid, args->s_dev, args->i_ino, args->index, args->last_index); }
'

iops() {	# iops MODE JOB
	local opts
	opts=$(job "$2")
	rm -f "$dir/out.json"
	case $1 in
	detached)
		fio $opts ;;
	pcrace)
		./pcrace record -o "$dir/t.pcr" -- fio $opts 2> "$dir/rec.err" ;;
	base)
		"$PCRACE_BASE" record -o "$dir/t.pcr" -- fio $opts 2> /dev/null ;;
	empty|minimal)
		.output/bench/probe_floor "$1" -- fio $opts 2> /dev/null ;;
	bpftrace)
		bpftrace -o "$dir/bt.txt" -e "$bt_script" -c "$(command -v fio) $opts" \
			> /dev/null 2>&1 ;;
	esac
	jq '[.jobs[0].read.iops, .jobs[0].write.iops] | add' "$dir/out.json"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

modes="detached empty minimal pcrace bpftrace"
[ -n "${PCRACE_BASE:-}" ] && modes="$modes base"
printf '%-10s %12s' job "detached IOPS"
for m in $modes; do [ $m = detached ] || printf ' %9s' "$m"; done
echo
for j in randread randwrite mmap directread; do
	for m in $modes; do : > "$dir/$m"; done
	for ((i = 0; i < rounds; i++)); do
		for m in $modes; do
			iops $m $j >> "$dir/$m"
		done
	done
	d=$(median < "$dir/detached")
	printf '%-10s %12.0f' $j "$d"
	for m in $modes; do
		[ $m = detached ] && continue
		awk -v d="$d" -v v="$(median < "$dir/$m")" 'BEGIN { printf " %9.3f", v / d }'
	done
	echo
done
echo "(columns after the first: IOPS as a fraction of detached)"
grep 'record:' "$dir/rec.err" | tail -1 | sed 's/^/last pcrace run: /'
