#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcrace dump --ops: a recorded trace as the line-oriented scenario replay
# reads.  The mixed workload's ops on its file come out exactly, with
# fds resolved, offsets of plain read/write reconstructed from the fd
# position, mappings named and faults as page touches.
. "$(dirname "$0")/lib.sh"
need_root_bpf
make_scratch
plan 6

F=$SCRATCH/data
"$PCRACE" record -o "$SCRATCH/t.pcr" -- "$OUT/workload_mixed" "$F" 2>/dev/null
"$PCRACE" dump --ops "$SCRATCH/t.pcr" > "$SCRATCH/ops"
ok $? "dump --ops exits 0"
head -1 "$SCRATCH/ops" | grep -qx '# pcrace scenario 1'
ok $? "the scenario names its format version"
id=$(awk -v f="$F" '$1 == "file" && $3 == f { print $2 }' "$SCRATCH/ops")
grep -q "^file $id $F size=0 fs=ext4 blksize=4096 " "$SCRATCH/ops"
ok $? "the file is declared with its size at first sight, fs type and block size"
# the file's ops without seq, thread and time; mapping ids and the
# address's colour (random, a page multiple below 2 MiB) normalised
got=$(awk -v id="$id" '$5 == "mmap" && $6 == id { maps[$7] = 1 }
	$1 ~ /^[0-9]+$/ && ($6 == id || $6 in maps) { $1 = $2 = $3 = $4 = ""; print }' "$SCRATCH/ops" |
	sed 's/^ *//; s/ M[0-9]* / M /; s/^\(touch\|msync\|munmap\) M[0-9]*/\1 M/' |
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^colour=/) {
		c = substr($i, 8) + 0; $i = (c % 4096 == 0 && c < 2097152) ? "colour=C" : $i } print }' |
	grep -v '^touch')
expected="openat $id fd=3 flags=O_RDWR|O_CREAT|O_TRUNC|O_LARGEFILE = 3
pwrite64 $id off=0 len=12288 = 12288
fsync $id = 0
openat $id fd=4 flags=O_RDWR|O_DIRECT|O_LARGEFILE = 4
pwrite64 $id off=16384 len=4096 direct = 4096
fallocate $id off=20480 len=8192 mode=0 = 0
fallocate $id off=8192 len=4096 mode=FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE = 0
mmap $id M off=0 len=8192 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED colour=C = 0
msync M len=8192 flags=MS_SYNC = 0
munmap M len=8192 = 0
ftruncate $id len=4096 = 0
pread64 $id off=0 len=4096 = 4096
pwritev2 $id off=0 len=4096 iovcnt=1 rwf=RWF_DSYNC = 4096
fadvise $id off=0 len=0 advice=4 = 0
uring_write $id off=8192 len=4096 = 4096
uring_read $id off=0 len=4096 direct = 4096
close $id fd=4 = 0
close $id fd=3 = 0"
is_text "$got" "$expected" "the workload's ops on its file, in order, exactly"
touches=$(awk -v id="$id" '$5 == "mmap" && $6 == id { maps[$7] = 1 }
	$5 == "touch" && $6 in maps { print $7 }' "$SCRATCH/ops" | sort -u | paste -sd,)
[[ $touches == page=0 || $touches == page=0,page=1 ]]
ok $? "the mmap stores are page touches of the mapping ($touches)"

# plain write(2): offsets come from the fd position
"$PCRACE" record -o "$SCRATCH/dd.pcr" -- dd if=/dev/zero of="$SCRATCH/dd" bs=4k count=4 oflag=direct status=none 2>/dev/null
offs=$("$PCRACE" dump --ops "$SCRATCH/dd.pcr" | awk '$5 == "write" { print $7, $9 }' | paste -sd,)
is "$offs" "off=0 direct,off=4096 direct,off=8192 direct,off=12288 direct" \
	"dd's write(2)s get offsets 0, 4096, 8192, 12288 and the O_DIRECT mark"
done_testing
