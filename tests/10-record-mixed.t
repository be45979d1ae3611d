#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real BPF on this kernel: record a workload that mixes buffered, O_DIRECT,
# mmap and io_uring I/O with fallocate, truncate, fsync and fadvise on one
# file, and check the exact syscalls (offsets, lengths, flags, results) and
# the page-cache adds and deletes of that file's (dev, ino, index).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/transcript.sh"
need_root_bpf
make_scratch
plan 8

F=$SCRATCH/mixed
T=$SCRATCH/mixed.pcr
"$PCRACE" record -o "$T" -- "$OUT/workload_mixed" "$F" 2> "$SCRATCH/rec.err"
ok $? "record -- workload_mixed exits 0"
grep -q 'pcrace: record: [0-9]* events' "$SCRATCH/rec.err"
ok $? "record reports its event count"

tgid=$("$PCRACE" dump --json "$T" | jq -r 'select(.event == "sched_process_exec") | .tgid' | head -1)
got=$(transcript "$T" "$tgid" "$F")
expected="openat flags=O_RDWR|O_CREAT|O_TRUNC mode=420 = 3
pwrite64 fd=3 len=12288 offset=0 = 12288 [add 0,1,2]
fsync fd=3 = 0
openat flags=O_RDWR|O_DIRECT mode=0 = 4
pwrite64 fd=4 len=4096 offset=16384 = 4096
fallocate fd=3 mode=0 offset=20480 len=8192 = 0
fallocate fd=3 mode=FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE offset=8192 len=4096 = 0 [del 2]
mmap len=8192 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED fd=3 offset=0 = ADDR
msync len=8192 flags=MS_SYNC = 0
munmap len=8192 = 0
ftruncate fd=3 len=4096 = 0 [del 1]
pread64 fd=3 len=4096 offset=0 = 4096
pwritev2 fd=3 offset=0 rwf=RWF_DSYNC = 4096
fadvise64 fd=3 offset=0 len=0 advice=4 = 0 [del 0]
io_uring_setup entries=4 = 5
io_uring_submit_req WRITE fd=3 offset=8192 len=4096
io_uring_complete res=4096
io_uring_submit_req READ fd=4 offset=0 len=4096
io_uring_complete res=4096
close fd=4 = 0
close fd=3 = 0"
is_text "$(echo "$got" | grep -v '^io_uring_enter')" "$expected" \
	"exact syscalls, io_uring ops and page-cache adds/deletes per syscall"

# the io_uring write ran in an io-wq worker of the same process: its add
# of page 2 is in the trace under that worker's tid, inside io_uring_enter
echo "$got" | grep -q '^io_uring_enter .*\[add 2\]'
ok $? "io_uring write's page-cache add is recorded inside io_uring_enter"

# the mmap store faulted page 0 of this file
ino=$(stat -c %i "$F")
"$PCRACE" dump --json "$T" | jq -c --argjson ino "$ino" \
	'select(.event == "mm_filemap_fault" and .ino == $ino and .index == 0)' | grep -q .
ok $? "the mmap store's fault on index 0 is recorded"

# fd_bind knows the O_DIRECT fd's flags and the file's (dev, ino, path)
kdev=$(file_kdev "$F")
n=$("$PCRACE" dump --json "$T" | jq -r --arg dev "$kdev" --argjson ino "$ino" --arg f "$F" \
	'select(.event == "fd_bind" and .dev == $dev and .ino == $ino and .file == $f
		and (.flags | test("O_DIRECT"))) | .fd')
is "$n" "4" "fd_bind of the O_DIRECT fd carries dev $kdev, ino, path and O_DIRECT"

# info lists the file with its fs type, block size and size at first sight
"$PCRACE" info "$T" | grep -qP "^  $kdev\t$ino\t$F\t0\text4|^  $kdev\t$ino\t$F\t0\t\S+\t4096"
ok $? "info's file table has the file with size 0 at first sight"

"$PCRACE" info "$T" | grep -q '^losses:     none'
ok $? "no events lost"
done_testing
