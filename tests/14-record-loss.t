#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No silent loss: with a 1 MiB ring buffer and a flat-out event generator,
# reserve failures happen; they must be counted per event type, marked in
# the stream where they were noticed, summed in the trace and printed.
. "$(dirname "$0")/lib.sh"
need_root_bpf
make_scratch
plan 5

dd if=/dev/urandom of="$SCRATCH/f" bs=1M count=4 status=none
# a slow consumer: the trace is written at the strongest compression
"$PCRACE" record -o "$SCRATCH/l.pcr" --buffer-size 1 -z 9 -- \
	sh -c "for i in 1 2 3 4; do $TOP/.output/bench/event_gen $SCRATCH/f 0 1 & done; wait" \
	> /dev/null 2> "$SCRATCH/err"
ok $? "record with a 1 MiB buffer exits 0"
lost=$(sed -n 's/.*LOST \([0-9]*\) events.*/\1/p' "$SCRATCH/err")
[ "${lost:-0}" -gt 0 ]
ok $? "record says on stderr that it lost events (${lost:-none})"
"$PCRACE" info "$SCRATCH/l.pcr" > "$SCRATCH/info"
total=$(awk '$1 == "lost" { print $2 }' "$SCRATCH/info")
is "$total" "$lost" "the trace's END total matches what record printed"
table=$(awk '/^LOSSES/ { on = 1; next } on && /^  [a-z_]+\t[0-9]+$/ { s += $2 } on && /^[a-z]/ { on = 0 } END { print s + 0 }' "$SCRATCH/info")
is "$table" "$lost" "the per-event-type LOSSES table sums to it"
marked=$("$PCRACE" dump --json "$SCRATCH/l.pcr" | jq -s '[.[] | select(.event == "loss") | .count] | add')
is "$marked" "$lost" "loss events in the stream mark every lost event"
done_testing
