#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mapped I/O as the seeds need it.  I/O through a mapped buffer (a
# direct read into a MAP_SHARED file
# mapping, seed 7's GUP path) and mapping colour (where an address falls
# in its 2 MiB page, which decides DAX PMD faults): recorded from a real
# workload, carried by dump --ops, and replayed the same way, as a second
# recording of the replay shows; the data oracle does not judge what GUP
# moved but still judges the rest.  msync/madvise of part of a mapping
# (off=), and --drop.
. "$(dirname "$0")/lib.sh"
need_root_bpf
make_scratch
make_target
plan 14

S=$SCRATCH
mkdir -p "$TARGET/rec" "$TARGET/rep"
make -s -C "$TOP" test-bins > /dev/null 2>&1
GUP=$TOP/.output/corpora/seed7-gup-dio/gup_dio
PMD=$TOP/.output/corpora/seed6-dax-pmd/dax_pmd_pte
[ -x "$GUP" ] && [ -x "$PMD" ] || bail_out "corpus programs not built"

"$PCRACE" record -o "$S/gup.pcr" -- "$GUP" "$TARGET/rec" 2 1 > /dev/null 2>&1
"$PCRACE" dump --ops "$S/gup.pcr" > "$S/gup.ops"
grep -q " pread64 F[0-9]* off=0 len=2097152 direct buf=M1+0 = 2097152" "$S/gup.ops"
ok $? "a direct read into a file mapping is recorded with buf=M1+0"
! grep -q " touch M1 " "$S/gup.ops"
ok $? "... and the faults GUP took inside it are not touches of their own"

"$PCRACE" record -o "$S/gup2.pcr" -- "$PCRACE" replay --order none --engine sync --json \
	--target "$TARGET/rep" "$S/gup.pcr" > "$S/gup.json" 2> "$S/gup.err"
is "$(jq -r .verdict "$S/gup.json")" not_reproduced "the replay runs clean (no false alarm on the GUP-written range)"
[ "$(jq -r .bytes_checked "$S/gup.json")" -gt 0 ]
ok $? "... while the source file is still judged ($(jq -r .bytes_checked "$S/gup.json") bytes)"
"$PCRACE" dump --ops "$S/gup2.pcr" > "$S/gup2.ops"
n1=$(grep -c " direct buf=M[0-9]*+0 = 2097152" "$S/gup.ops")
n2=$(grep -c " direct buf=M[0-9]*+0 = 2097152" "$S/gup2.ops")
is "$n2" "$n1" "the replay's own recording has as many direct reads into its mapping"
# what GUP moved reached the mapped file: it holds the source's bytes now
cmp -s -n 2097152 "$TARGET/rep/mapped" "$TARGET/rep/source"
ok $? "... and the mapped file holds what the reads brought in"

# a direct read into a mapping longer than its file: GUP pins the
# file's 16 pages, the bio brings the source's bytes into them, then
# fails on the page past EOF; the read returns -EFAULT, its range of the
# mapped file is unknown all the same, and the file does not grow
cat > "$S/eof.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/eof-mapped size=0 fs=ext4 blksize=4096 opts=rw type=reg
file F2 /rec/eof-source size=0 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~100 pwrite64 F1 off=0 len=65536 = 65536
2 T1 +200 ~100 pwrite64 F2 off=0 len=1048576 = 1048576
3 T1 +400 ~100 mmap F1 M1 off=0 len=1048576 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED = 0
4 T1 +600 ~2000 pread64 F2 off=0 len=1048576 direct buf=M1+0 = 1048576
EOF2
"$PCRACE" replay --loops 3 --rate --json --target "$TARGET" "$S/eof.ops" \
	> "$S/eof.json" 2> "$S/eof.err"
is "$? $(json "$S/eof.json" failures) $(json "$S/eof.json" result_diffs)" "0 0 1" \
	"a read into a mapping that fails partway: no false alarm (and it did fail)" ||
	grep -m2 REPRODUCED "$S/eof.err" | sed 's/^/# /'

# colour: two mappings of one file, at 0 and 4 KiB into a 2 MiB page
"$PCRACE" record -o "$S/pmd.pcr" -- "$PMD" "$TARGET/rec/pmd" 4 1 > /dev/null 2>&1
"$PCRACE" dump --ops "$S/pmd.pcr" > "$S/pmd.ops"
grep -q " mmap F1 M1 .* colour=0 " "$S/pmd.ops" && grep -q " mmap F1 M2 .* colour=4096 " "$S/pmd.ops"
ok $? "mmap ops carry their address's colour (0 and 4096)"
"$PCRACE" record -o "$S/pmd2.pcr" -- "$PCRACE" replay --order none \
	--target "$TARGET/rep" "$S/pmd.pcr" > /dev/null 2> "$S/pmd.err"
ok $? "the replay of it runs clean"
"$PCRACE" dump --ops "$S/pmd2.pcr" | grep -o " mmap F[0-9]* M[0-9]* .* colour=[0-9]*" |
	grep -o "colour=[0-9]*" | sort | tr '\n' ' ' > "$S/colours"
is "$(cat "$S/colours")" "colour=0 colour=4096 " "... and maps at the same colours, as its own recording shows"

# part of a mapping (dax.sh poisons the page 1 MiB in), and a file left
# out with --drop
cat > "$S/part.ops" <<EOF2
# pcrace scenario 1
file F1 /rec/part size=16384 fs=ext4 blksize=4096 opts=rw type=reg
file F2 /rec/log/out size=0 fs=9p blksize=4096 opts=rw type=reg
1 T1 mmap F1 M1 off=0 len=16384 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED colour=0
2 T1 touch M1 page=2 store
3 T1 madvise M1 off=8192 len=4096 advice=MADV_DONTNEED
4 T1 pwrite64 F2 off=0 len=100
5 T1 munmap M1 len=16384
EOF2
"$PCRACE" record -o "$S/part.pcr" -- "$PCRACE" replay --drop /rec/log --target "$TARGET/rep" \
	"$S/part.ops" > /dev/null 2> "$S/part.err"
ok $? "a scenario with a partial madvise replays, the file under --drop left out"
"$PCRACE" dump --ops "$S/part.pcr" | grep -q " madvise M[0-9]* off=8192 len=4096 advice=MADV_DONTNEED = 0"
ok $? "... and the replay's recording shows the madvise 8 KiB into the mapping"
[ ! -e "$TARGET/rep/out" ] && [ ! -e "$TARGET/rep/log" ]
ok $? "... and nothing made for the dropped file"

# a scenario naming a mapping that was never made
printf '# pcrace scenario 1\nfile F1 /rec/x size=8192 fs=ext4 blksize=4096 opts=rw type=reg\n1 T1 pread64 F1 off=0 len=4096 buf=M3+0\n' > "$S/bad.ops"
"$PCRACE" replay --target "$TARGET/rep" "$S/bad.ops" > /dev/null 2> "$S/bad.err"
is "$?:$(wc -l < "$S/bad.err")" "2:1" "buf= naming no mapping is a one-line usage error: $(cat "$S/bad.err")"
done_testing
