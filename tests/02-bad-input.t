#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input to the trace readers and to record: a one-line error naming
# what is wrong, exit code 2, nothing written.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
plan 23

printf 'PCRTRACE\x01\x00\x10\x00\x00\x00\x00\x00' > "$D/header-only.pcr"

check() {	# check DESCRIPTION PATTERN CMD...
	local desc=$1 pat=$2
	shift 2
	"$@" > "$D/out" 2> "$D/err"
	local rc=$?
	is "$rc" 2 "$desc: exit 2"
	if [ "$(wc -l < "$D/err")" -eq 1 ] && grep -q -- "$pat" "$D/err"; then
		ok 0 "$desc: one-line error naming it"
	else
		ok 1 "$desc: one-line error naming it"
		sed 's/^/#   /' "$D/err"
	fi
}

: > "$D/empty.pcr"
check "empty file" "empty file" "$PCRACE" info "$D/empty.pcr"
echo "not a trace at all" > "$D/text.pcr"
check "not a trace" "not a pcrace trace" "$PCRACE" dump "$D/text.pcr"
printf 'PCRTRACE\x63\x00\x10\x00\x00\x00\x00\x00' > "$D/v99.pcr"
check "wrong version" "unsupported trace format version 99" "$PCRACE" info "$D/v99.pcr"
check "header only (no END)" "truncated" "$PCRACE" info "$D/header-only.pcr"
check "missing file" "cannot open" "$PCRACE" dump "$D/nope.pcr"

# a real trace, then damaged copies of it
if [ "$(id -u)" = 0 ] && "$PCRACE" record -o "$D/real.pcr" -- true 2>/dev/null; then
	size=$(stat -c %s "$D/real.pcr")
	head -c $((size - 7)) "$D/real.pcr" > "$D/cut.pcr"
	check "cut short" "truncated" "$PCRACE" dump "$D/cut.pcr"
	cp "$D/real.pcr" "$D/flip.pcr"
	printf '\xff\xff\xff\xff' | dd of="$D/flip.pcr" bs=1 seek=$((size / 2)) conv=notrunc status=none
	check "corrupt in the middle" "checksum mismatch\|corrupt" "$PCRACE" dump "$D/flip.pcr"
	"$PCRACE" dump --allow-truncated "$D/cut.pcr" > /dev/null 2>&1
	is $? 0 "--allow-truncated reads a cut trace with exit 0"
else
	skip 5 "needs root to record a trace"
fi

check "record without -o" "no output file" "$PCRACE" record -- true
check "record without scope" "nothing to trace" "$PCRACE" record -o "$D/x.pcr"
check "record -o in a missing directory" "cannot write $D/nodir/t.pcr" \
	"$PCRACE" record -o "$D/nodir/t.pcr" -- true
"$PCRACE" record -o "$D/y.pcr" --dev /etc/passwd -- true > /dev/null 2>&1
is $? 2 "record --dev on a regular file: exit 2"
[ ! -e "$D/x.pcr" ] && [ ! -e "$D/y.pcr" ]
ok $? "no trace file written on usage errors"
done_testing
