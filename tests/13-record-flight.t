#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Flight recorder: only the last window of events is kept in memory and
# written when a splat appears in /dev/kmsg (with the splat text), on
# SIGUSR1, and at exit.  The splat here is a line we write to /dev/kmsg.
. "$(dirname "$0")/lib.sh"
need_root_bpf
[ -w /dev/kmsg ] || skip_all "/dev/kmsg not writable"
make_scratch
plan 13

dd if=/dev/urandom of="$SCRATCH/f" bs=1M count=4 status=none
T=$SCRATCH/fl.pcr
"$PCRACE" record -o "$T" --flight 1s -- sh -c "
	$TOP/.output/bench/event_gen $SCRATCH/f 100000 3 > /dev/null
	echo '<4>BUG: pcrace flight-recorder test splat' > /dev/kmsg
	echo '<4> pcrace test: the line after it' > /dev/kmsg
	sleep 2" 2> "$SCRATCH/err"
ok $? "record --flight 1s exits 0"
[ -f "$T" ] && [ -f "$T.1" ]
ok $? "one trace written on the splat, another at exit"
"$PCRACE" info "$T" > "$SCRATCH/info" 2>&1
ok $? "the splat trace is complete and readable"
grep -q 'BUG: pcrace flight-recorder test splat' "$SCRATCH/info" &&
	grep -q 'pcrace test: the line after it' "$SCRATCH/info"
ok $? "it holds the splat text and the log that followed"
span=$("$PCRACE" dump --json "$T" | jq -s '[.[] | select(.event == "pread64")] | (last.ts_ns - first.ts_ns) / 1e9')
awk -v s="$span" 'BEGIN { exit !(s > 0.5 && s < 2.5) }'
ok $? "it keeps about the last second of 3 s of preads (span ${span}s)"
dropped=$(awk '$1 == "flight_dropped_events" { print $2 }' "$SCRATCH/info")
[ "${dropped:-0}" -gt 100000 ]
ok $? "older events were dropped from the window ($dropped)"
# uncached NAME WINDOW READS: a window of READS uncached reads of f
# (page-cache events, the op events copied to OPS chunks), and its info
uncached() {
	"$PCRACE" record -o "$SCRATCH/$1.pcr" --flight "$2" -- sh -c "
		for i in \$(seq $3); do
			dd if=$SCRATCH/f of=/dev/null bs=1M iflag=nocache status=none
		done" 2>/dev/null &&
		"$PCRACE" info "$SCRATCH/$1.pcr" > "$SCRATCH/$1.info"
}
# chunks dropped from the window's head: the copies it keeps are those of
# its EVENTS chunks, no more, no fewer (info checks that)
uncached pc 256K 40
ok $? "a window with op copies passes info's check"
copies=$(awk '$1 == "op" && $2 == "copies:" { print $8 }' "$SCRATCH/pc.info")
dropped=$(awk '$1 == "flight_dropped_events" { print $2 }' "$SCRATCH/pc.info")
[ "${copies:-0}" -gt 0 ] && [ "${dropped:-0}" -gt 0 ]
ok $? "it has copies ($copies op events) and dropped chunks ($dropped events)"
# the smallest window (64K) is smaller than one chunk and its copy: the
# copy goes with its EVENTS chunk and stays with it, never alone
uncached small 64K 20
ok $? "a 64K window keeps a chunk with its copy: info's check passes"

# SIGUSR1 writes the window on demand; the record goes on
"$PCRACE" record -o "$SCRATCH/u.pcr" --flight 8M -- sh -c "
	dd if=/dev/zero of=$SCRATCH/u1 bs=4k count=4 status=none
	kill -USR1 \$PPID; sleep 1
	dd if=/dev/zero of=$SCRATCH/u2 bs=4k count=4 status=none" 2>/dev/null
ok $? "record --flight 8M with SIGUSR1 exits 0"
n=$("$PCRACE" dump --json "$SCRATCH/u.pcr" | jq -r --arg f "$SCRATCH/u1" 'select(.event == "write" and .phase == "enter" and .file == $f)' | jq -s length)
is "$n" 4 "the SIGUSR1 trace has the writes made before the signal"
n=$("$PCRACE" dump --json "$SCRATCH/u.pcr.1" | jq -r --arg f "$SCRATCH/u2" 'select(.event == "write" and .phase == "enter" and .file == $f)' | jq -s length)
is "$n" 4 "the exit trace has the writes made after it"

"$PCRACE" record -o "$SCRATCH/b.pcr" --flight 10x -- true 2>/dev/null
is $? 2 "a bad --flight value is a usage error"
done_testing
