#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --cpus: where replay's workers run.  A scenario of three threads that
# wait a second between their two ops (--timing recorded), so their
# affinity can be read from /proc while they wait: spread pins thread t
# to the t-th CPU this process may use, one pins them all to the first,
# any leaves them where the scheduler puts them (the default is spread
# under --order recorded, any under the others), a list of CPU numbers
# pins thread t to the t-th listed, and the schedule line says which.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
[ "$(nproc)" -ge 2 ] || skip_all "one CPU: nothing to spread over"
make_scratch
make_target
plan 17

S=$SCRATCH
cat > "$S/wait.ops" <<EOF
# pcrace scenario 1
file F1 /rec/f size=65536 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 pwrite64 F1 off=0 len=4096
2 T2 +10 pwrite64 F1 off=4096 len=4096
3 T3 +20 pwrite64 F1 off=8192 len=4096
4 T1 +1500000 pread64 F1 off=0 len=4096
5 T2 +1500010 pread64 F1 off=4096 len=4096
6 T3 +1500020 pread64 F1 off=8192 len=4096
EOF
all=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/$$/status)
read -r -a cpus < <(echo "$all" |
	awk -F, '{ for (i = 1; i <= NF; i++) { n = split($i, r, "-");
		for (c = r[1]; c <= r[n]; c++) printf "%d ", c } }')

# The system call numbers of a worker that waits for its turn or its
# time: it has pinned itself before either (futex, clock_nanosleep)
case $(uname -m) in
x86_64) waits="202 230" ;;
aarch64) waits="98 115" ;;
*) skip_all "no system call numbers for $(uname -m)" ;;
esac
pid_max=$(cat /proc/sys/kernel/pid_max)

# worker_tids CHILD: the trial process's worker threads in the order
# they were made: its threads but its first named pcrace (io_uring's
# io-wq workers are named so), by thread id counted from the process's
# own, as the ids wrap at pid_max (32768 here, and CI makes many)
worker_tids() {
	local t

	for t in $(ls /proc/$1/task 2> /dev/null); do
		[ "$t" != "$1" ] && [ "$(cat /proc/$1/task/$t/comm 2> /dev/null)" = pcrace ] &&
			echo "$(((t - $1 + pid_max) % pid_max)) $t"
	done | sort -n | cut -d' ' -f2
}

# workers_waiting CHILD: whether all three workers wait in a system call
workers_waiting() {
	local t n=0 nr

	for t in $(worker_tids "$1"); do
		read -r nr _ < /proc/$1/task/$t/syscall 2> /dev/null || return 1
		case " $waits " in *" $nr "*) n=$((n + 1)) ;; esac
	done
	[ $n -eq 3 ]
}

# workers CPUS_OPTION [SCENARIO [OPTION...]]: the replay's worker threads'
# allowed CPU lists in thread order, read once all three wait (not after
# a fixed sleep: CI's load delayed a worker's start past it)
workers() {
	local pid child t i cpus=$1 ops=${2:-$S/wait.ops}

	local copt=(--cpus "$cpus")

	shift $(($# < 2 ? $# : 2))
	# default...: no --cpus at all
	case $cpus in default*) copt=() ;; esac
	"$PCRACE" replay --json --timing recorded "${copt[@]}" "$@" --target "$TARGET" \
		"$ops" > "$S/$cpus.json" 2> "$S/$cpus.err" &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		child=$(pgrep -P $pid | head -1)
		[ -n "$child" ] && workers_waiting "$child" && break
		sleep 0.02
	done
	for t in $(worker_tids "$child"); do
		sed -n 's/^Cpus_allowed_list:\t//p' /proc/$child/task/$t/status
	done | tr '\n' ' '
	wait $pid
}

got=$(workers spread)
is "$got" "${cpus[0]} ${cpus[1]} ${cpus[2 % ${#cpus[@]}]} " \
	"--cpus spread: thread t on the t-th CPU (${cpus[*]})"
grep -q '"schedule":"order recorded, timing recorded, spread over the CPUs"' "$S/spread.json"
ok $? "... and the schedule says so"
is "$(json "$S/spread.json" verdict)" "not_reproduced" "... and the replay is clean"

got=$(workers one)
is "$got" "${cpus[0]} ${cpus[0]} ${cpus[0]} " "--cpus one: every worker on ${cpus[0]}"
grep -q '"schedule":"order recorded, timing recorded, all on one CPU"' "$S/one.json"
ok $? "... and the schedule says so"

got=$(workers any)
is "$got" "$all $all $all " "--cpus any: the workers may run anywhere ($all)"

# no --cpus: spread under --order recorded (each handoff's next worker
# waits on a CPU of its own), the scheduler's choice under the others
got=$(workers default)
is "$got" "${cpus[0]} ${cpus[1]} ${cpus[2 % ${#cpus[@]}]} " \
	"no --cpus, --order recorded: spread (${cpus[*]})"
grep -q '"schedule":"order recorded, timing recorded, spread over the CPUs"' "$S/default.json"
ok $? "... and the schedule says so"
got=$(workers default-none "$S/wait.ops" --order none)
is "$got" "$all $all $all " "no --cpus, --order none: the workers may run anywhere"

# --collide 1: the one pair that can meet is T1's and T3's writes of the
# same page, 20 us apart; spread by index would put both on the first
# CPU, so one of them moves
cat > "$S/pair.ops" <<EOF
# pcrace scenario 1
file F1 /rec/f size=65536 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 pwrite64 F1 off=0 len=4096
2 T2 +10 pwrite64 F1 off=32768 len=4096
3 T3 +20 pwrite64 F1 off=0 len=4096
4 T1 +1500000 pread64 F1 off=8192 len=4096
5 T2 +1500010 pread64 F1 off=16384 len=4096
6 T3 +1500020 pread64 F1 off=24576 len=4096
EOF
read -r c1 c2 c3 < <(workers spread "$S/pair.ops" --collide 1)
[ -n "$c3" ] && [ "$c1" != "$c3" ] && [ "$c2" = "${cpus[1]}" ]
ok $? "--cpus spread --collide: the pair's threads T1 and T3 on two CPUs ($c1 $c2 $c3)"
grep -q '"schedule":"[^"]*spread over the CPUs, 1 of 1 pairs apart' "$S/spread.json"
ok $? "... and the schedule says so"

# --cpus LIST: thread t on the t-th CPU listed, round robin, by number
got=$(workers "${cpus[1]},${cpus[0]}")
is "$got" "${cpus[1]} ${cpus[0]} ${cpus[1]} " \
	"--cpus ${cpus[1]},${cpus[0]}: the threads on the CPUs listed, round robin"
grep -q '"schedule":"order recorded, timing recorded, on the CPUs listed"' \
	"$S/${cpus[1]},${cpus[0]}.json"
ok $? "... and the schedule says so"
before=$(ls -l --time-style=+%s.%N "$TARGET"; md5sum "$TARGET"/* 2>&1)
"$PCRACE" replay --cpus "${cpus[0]},x" --target "$TARGET" "$S/wait.ops" \
	> /dev/null 2> "$S/list.err"
is "$?:$(cat "$S/list.err")" \
	"2:pcrace: --cpus: any, one, spread or a list of CPU numbers, not '${cpus[0]},x'" \
	"--cpus with a list that is not one: usage error, named"
none=$(( ${cpus[-1]} + 1 ))
"$PCRACE" replay --cpus "${cpus[0]},$none" --target "$TARGET" "$S/wait.ops" \
	> /dev/null 2> "$S/list.err"
is "$?:$(cat "$S/list.err")" \
	"125:pcrace: cannot test: --cpus: CPU $none is not one this process may use" \
	"--cpus with a CPU this process may not use: cannot test"
is "$(ls -l --time-style=+%s.%N "$TARGET"; md5sum "$TARGET"/* 2>&1)" "$before" \
	"... neither wrote to the target"

taskset -c "${cpus[0]}" "$PCRACE" replay --json --cpus spread --target "$TARGET" \
	"$S/wait.ops" > "$S/alone.json" 2> /dev/null
grep -q '"schedule":"order recorded, timing asap"' "$S/alone.json"
ok $? "--cpus spread on one allowed CPU leaves the workers unpinned"
done_testing
