#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Format 2 and pcrace convert: a recording carries copies of its op
# events (OPS chunks) that replay reads instead of the whole trace; a
# format 1 trace (the corpora's) converts to format 2 with the same
# events, the same scenario text and the OPS chunks; convert refuses to
# write over a file or to finish a truncated trace.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
V1=$TOP/corpora/seed4-generic418/trace.pcr
[ -f "$V1" ] || skip_all "no corpus trace"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
plan 12

"$PCRACE" info "$V1" | grep -q "format version 1,"
ok $? "the corpus trace is format 1"
"$PCRACE" convert "$V1" "$D/v2.pcr" > "$D/out" 2>&1
ok $? "convert exits 0"
"$PCRACE" info "$D/v2.pcr" > "$D/info"
grep -q "format version 2, .* complete" "$D/info" &&
	grep -Eq "^op copies: +[1-9][0-9]* chunks" "$D/info"
ok $? "the converted trace is format 2, complete, with OPS chunks"
cmp -s <("$PCRACE" dump "$V1") <("$PCRACE" dump "$D/v2.pcr")
ok $? "dump prints the same events from both"
# the scenario's second line names the file it came from
cmp -s <("$PCRACE" dump --ops "$V1" | sed 1,2d) <("$PCRACE" dump --ops "$D/v2.pcr" | sed 1,2d)
ok $? "dump --ops (through the OPS chunks) makes the same scenario"
n1=$("$PCRACE" info "$V1" | awk '/^events \(/ { gsub(/[()]/, "", $2); print $2 }')
n2=$("$PCRACE" info "$D/v2.pcr" | awk '/^events \(/ { gsub(/[()]/, "", $2); print $2 }')
[ -n "$n1" ] && [ "$n1" = "$n2" ]
ok $? "info counts the same events ($n1), not their copies"

# bad input: nothing written, nothing overwritten
echo keep > "$D/exists"
"$PCRACE" convert "$V1" "$D/exists" > /dev/null 2> "$D/err"
is $? 2 "an existing OUT: exit 2"
[ "$(cat "$D/exists")" = keep ] && [ "$(wc -l < "$D/err")" -eq 1 ] &&
	grep -q "exists" "$D/err"
ok $? "the file is left as it was, and a one-line error names it"
size=$(stat -c %s "$V1")
head -c $((size - 100)) "$V1" > "$D/cut.pcr"
"$PCRACE" convert "$D/cut.pcr" "$D/c2.pcr" > /dev/null 2> "$D/err"
is $? 2 "a truncated trace: exit 2"
[ ! -e "$D/c2.pcr" ] && grep -q "truncated" "$D/err"
ok $? "no output left, and the error says truncated"
"$PCRACE" convert "$D/nope.pcr" "$D/n2.pcr" > /dev/null 2>&1
is $? 2 "a missing trace: exit 2"
[ ! -e "$D/n2.pcr" ]
ok $? "and no output left"
done_testing
