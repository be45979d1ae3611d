#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dd oflag=direct, then a buffered dd read of the same file: every direct
# write and every readahead add is in the trace, attributed to the right dd.
. "$(dirname "$0")/lib.sh"
need_root_bpf
make_scratch
plan 7

F=$SCRATCH/ddfile
T=$SCRATCH/dd.pcr
"$PCRACE" record -o "$T" -- sh -c "dd if=/dev/zero of=$F bs=4k count=16 oflag=direct status=none &&
	dd if=$F of=/dev/null bs=4k status=none" 2>/dev/null
ok $? "record -- sh -c 'dd ...; dd ...' exits 0"

ino=$(stat -c %i "$F")
kdev=$(file_kdev "$F")
J=$SCRATCH/dd.json
"$PCRACE" dump --json "$T" > "$J"

# the two dd processes, in order of exec
mapfile -t dds < <(jq -r 'select(.event == "sched_process_exec" and .comm == "dd") | .tid' "$J")
is "${#dds[@]}" 2 "two dd processes exec'd"
writer=${dds[0]} reader=${dds[1]}

w=$(jq -r --argjson t "$writer" --arg f "$F" \
	'select(.tid == $t and .event == "write" and .phase == "enter" and .file == $f) | "\(.fd) \(.len)"' "$J" | sort | uniq -c | awk '{print $1, $2, $3}')
is "$w" "16 1 4096" "writer dd: 16 write(fd=1, len=4096) to the file"
r=$(jq -r --argjson t "$writer" 'select(.tid == $t and .event == "write" and .phase == "exit") | .ret' "$J" | sort | uniq -c | awk '{print $1, $2}')
is "$r" "16 4096" "writer dd: all 16 writes returned 4096"
flags=$(jq -r --argjson t "$writer" --argjson ino "$ino" --arg dev "$kdev" \
	'select(.tid == $t and .event == "fd_bind" and .ino == $ino and .dev == $dev and .fd == 1) | .flags' "$J")
is "$flags" "O_WRONLY|O_DIRECT|O_LARGEFILE" "writer dd's fd 1 is the file, opened O_DIRECT"

# readahead: pages 0..15 added, every add by the reader dd
adds=$(jq -r --argjson ino "$ino" --arg dev "$kdev" \
	'select(.event == "mm_filemap_add_to_page_cache" and .ino == $ino and .dev == $dev) | "\(.tid) \(.index) \(.order)"' "$J")
tids=$(echo "$adds" | awk '{print $1}' | sort -u)
is "$tids" "$reader" "every page-cache add of the file is by the reader dd"
pages=$(echo "$adds" | awk '{ for (i = 0; i < 2 ^ $3; i++) print $2 + i }' | sort -n | uniq | paste -sd,)
is "$pages" "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15" "readahead added pages 0-15 of the file"
done_testing
