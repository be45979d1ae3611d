#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `pcrace plan IN OUT` writes the plan replay builds from IN as a plan
# image, which `pcrace replay OUT` maps instead of building.  The image's
# plan must be the plan built: every file, mapping, thread, op and wait,
# compared field by field (tests/plan_compare.c), for every corpus trace;
# a replay of it must do what a replay of the text does; and a damaged,
# truncated or foreign image, an OUT that exists or an image as IN is a
# one-line error, exit 2, with nothing written.
. "$(dirname "$0")/lib.sh"
make_scratch
[ -x "$OUT/plan_compare" ] || skip_all "tests/plan_compare not built (make test-bins)"
make_target
traces=("$TOP"/corpora/*/trace.pcr)
plan $((${#traces[@]} + 11))

S=$SCRATCH
for t in "${traces[@]}"; do
	name=$(basename "$(dirname "$t")")
	"$PCRACE" plan "$t" "$S/$name.plan" > /dev/null &&
		out=$("$OUT/plan_compare" --image "$t" "$S/$name.plan")
	ok $? "$name: its image holds its plan: $out"
done

# filters are applied when the image is made
s3=$TOP/corpora/seed3-generic270/trace.pcr
"$PCRACE" plan --drop-thread T3 "$s3" "$S/s3-drop.plan" > "$S/drop.out"
all=$("$PCRACE" plan "$s3" "$S/s3-all.plan" | sed 's/.*: \([0-9]*\) ops.*/\1/')
dropped=$(sed 's/.*: \([0-9]*\) ops.*/\1/' "$S/drop.out")
[ "$dropped" -gt 0 ] && [ "$dropped" -lt "$all" ]
ok $? "--drop-thread T3 is applied by pcrace plan ($dropped ops of $all)"

# a replay of a scenario's image does what a replay of the scenario does.
# Every op has a duration, so each one waits for the ops that had ended
# before it: without them a read may overlap the write before it and go
# unjudged in one replay but not the other.
cat > "$S/rw.ops" <<EOF
# pcrace scenario 1
file F1 /rec/f size=65536 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~10 pwrite64 F1 off=0 len=8192 = 8192
2 T2 +20 ~10 pread64 F1 off=4096 len=4096 = 4096
3 T1 +40 ~10 mmap F1 M1 off=0 len=65536 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED = 0
4 T2 +60 ~5 touch M1 page=2 store
5 T1 +70 ~10 fsync F1 = 0
6 T2 +90 ~10 pread64 F1 off=8192 len=4096 = 4096
7 T1 +110 ~10 munmap M1 len=65536 = 0
EOF
"$PCRACE" plan "$S/rw.ops" "$S/rw.plan" > /dev/null
"$PCRACE" replay --json --engine sync --map /rec="$TARGET" "$S/rw.ops" > "$S/text.json" 2>/dev/null
"$PCRACE" replay --json --engine sync --map /rec="$TARGET" "$S/rw.plan" > "$S/image.json" 2> "$S/image.err"
rc=$?
[ $rc = 0 ] && [ "$(json "$S/image.json" ops)" = 7 ] &&
	[ "$(json "$S/image.json" reads_checked)" = "$(json "$S/text.json" reads_checked)" ] &&
	[ "$(json "$S/image.json" bytes_checked)" = "$(json "$S/text.json" bytes_checked)" ]
ok $? "the image replays clean, its reads and bytes checked as the text's ($(json "$S/image.json" reads_checked) reads, $(json "$S/image.json" bytes_checked) bytes)"
"$PCRACE" replay --json --order starts --stress --loops 2 --map /rec="$TARGET" \
	"$S/rw.plan" > /dev/null 2>&1
ok $? "... and under --order starts, --stress (the image stays read-only)"

# bad input: one line, exit 2, nothing written
rm -rf "${TARGET:?}"/*
fails() {	# fails WHAT PATTERN CMD...: exit 2, one line matching PATTERN
	local what=$1 pat=$2

	shift 2
	"$@" > /dev/null 2> "$S/err"
	local rc=$?
	[ $rc = 2 ] && [ "$(wc -l < "$S/err")" = 1 ] && grep -q "$pat" "$S/err" &&
		[ -z "$(ls -A "$TARGET")" ]
	ok $? "$what: exit $rc, '$(head -c 120 "$S/err")'"
}
cp "$S/rw.plan" "$S/keep.plan"
fails "an OUT that exists is kept" "File exists" "$PCRACE" plan "$S/rw.ops" "$S/rw.plan"
cmp -s "$S/rw.plan" "$S/keep.plan"
ok $? "... unchanged"
fails "an image as IN" "a plan image already" "$PCRACE" plan "$S/rw.plan" "$S/again.plan"
fails "a relative --drop, as replay's" "an absolute path prefix" \
	"$PCRACE" plan --drop rec "$S/rw.ops" "$S/rel.plan"
fails "--drop at replay of an image" "give them there" \
	"$PCRACE" replay --drop /x --map /rec="$TARGET" "$S/rw.plan"
size=$(stat -c %s "$S/rw.plan")
head -c $((size - 8)) "$S/rw.plan" > "$S/short.plan"
fails "a truncated image" "truncated" "$PCRACE" replay --map /rec="$TARGET" "$S/short.plan"
cp "$S/rw.plan" "$S/flip.plan"
printf '\x55' | dd of="$S/flip.plan" bs=1 seek=$((size - 100)) conv=notrunc status=none
fails "a byte changed in an image" "checksum" "$PCRACE" replay --map /rec="$TARGET" "$S/flip.plan"
cp "$S/rw.plan" "$S/old.plan"
printf '\x09' | dd of="$S/old.plan" bs=1 seek=8 conv=notrunc status=none
fails "an image of another layout" "another pcrace build" \
	"$PCRACE" replay --map /rec="$TARGET" "$S/old.plan"
done_testing
