#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Scope: -p attaches to a running process (and its children), -c matches a
# command name, --dev follows every task that opens a device or a file on
# it; a task outside the scope is not recorded.  --require fails with 125.
. "$(dirname "$0")/lib.sh"
need_root_bpf
make_scratch
plan 16

J=$SCRATCH/j.json
# -p: a process that starts writing only after record is attached
mkfifo "$SCRATCH/go"
( read -r _ < "$SCRATCH/go"; dd if=/dev/zero of="$SCRATCH/p1" bs=4k count=3 status=none ) &
pid=$!
( sleep 1; echo go > "$SCRATCH/go" ) > /dev/null &
dd if=/dev/zero of="$SCRATCH/outside" bs=4k count=1 status=none &	# not in scope
"$PCRACE" record -o "$SCRATCH/p.pcr" -p "$pid" -d 20 2>/dev/null
ok $? "record -p exits 0 once the process is gone"
"$PCRACE" dump --json "$SCRATCH/p.pcr" > "$J"
n=$(jq -r --arg f "$SCRATCH/p1" 'select(.event == "write" and .phase == "enter" and .file == $f) | .len' "$J" | wc -l)
is "$n" 3 "-p: the child dd's 3 writes are recorded"
n=$(jq -r --arg f "$SCRATCH/outside" 'select(.file == $f)' "$J" | wc -l)
is "$n" 0 "-p: a process outside the scope is not recorded"

# -c: by command name
"$PCRACE" record -o "$SCRATCH/c.pcr" -c pcrace-comm-t -d 20 2>/dev/null &
rec=$!
sleep 1
cp "$(command -v dd)" "$SCRATCH/pcrace-comm-t"
"$SCRATCH/pcrace-comm-t" if=/dev/zero of="$SCRATCH/c1" bs=4k count=2 status=none
dd if=/dev/zero of="$SCRATCH/c2" bs=4k count=2 status=none
sleep 0.5
kill -INT $rec
wait $rec
ok $? "record -c stops cleanly on SIGINT"
"$PCRACE" dump --json "$SCRATCH/c.pcr" > "$J"
n=$(jq -r --arg f "$SCRATCH/c1" 'select(.event == "write" and .phase == "enter" and .file == $f)' "$J" | jq -s length)
is "$n" 2 "-c: the matching command's writes are recorded"
n=$(jq -r --arg f "$SCRATCH/c2" 'select(.file == $f)' "$J" | jq -s length)
is "$n" 0 "-c: another command is not"

# --dev: a loop device with ext4; tasks started after record are followed
if ! command -v losetup >/dev/null || ! command -v mkfs.ext4 >/dev/null; then
	skip 3 "losetup or mkfs.ext4 missing"
else
	truncate -s 64M "$SCRATCH/img"
	mkfs.ext4 -q -F "$SCRATCH/img"
	loop=$(losetup -f --show "$SCRATCH/img")
	mkdir "$SCRATCH/mnt"
	mount "$loop" "$SCRATCH/mnt"
	trap 'umount "$SCRATCH/mnt" 2>/dev/null; losetup -d "$loop" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
	"$PCRACE" record -o "$SCRATCH/d.pcr" --dev "$loop" -d 20 2>/dev/null &
	rec=$!
	sleep 1
	dd if=/dev/zero of="$SCRATCH/mnt/d1" bs=4k count=2 status=none
	dd if="$loop" of=/dev/null bs=64k count=1 iflag=direct status=none
	dd if=/dev/zero of="$SCRATCH/notdev" bs=4k count=1 status=none
	sleep 0.5
	kill -INT $rec
	wait $rec
	"$PCRACE" dump --json "$SCRATCH/d.pcr" > "$J"
	n=$(jq -r --arg f "$SCRATCH/mnt/d1" 'select(.event == "write" and .phase == "enter" and .file == $f)' "$J" | jq -s length)
	is "$n" 2 "--dev: writes to a file on the device are recorded"
	n=$(jq -r --arg f "$loop" 'select(.event == "read" and .phase == "enter" and .file == $f)' "$J" | jq -s length)
	is "$n" 1 "--dev: a direct read of the device node is recorded"
	n=$(jq -r --arg f "$SCRATCH/notdev" 'select(.file == $f)' "$J" | jq -s length)
	is "$n" 0 "--dev: a file elsewhere is not"
fi

# --path: tasks that open a file below the directory, relative paths too
mkdir -p "$SCRATCH/in/sub" "$SCRATCH/out"
"$PCRACE" record -o "$SCRATCH/pa.pcr" --path "$SCRATCH/in" -d 20 2>/dev/null &
rec=$!
sleep 1
(cd "$SCRATCH/in/sub" && dd if=/dev/zero of=rel bs=4k count=3 status=none)
dd if=/dev/zero of="$SCRATCH/out/x" bs=4k count=1 status=none
sleep 0.5
kill -INT $rec
wait $rec
"$PCRACE" dump --json "$SCRATCH/pa.pcr" > "$J"
n=$(jq -r --arg f "$SCRATCH/in/sub/rel" 'select(.event == "write" and .phase == "enter" and .file == $f)' "$J" | jq -s length)
is "$n" 3 "--path: writes to a file opened by a relative path below DIR are recorded"
n=$(jq -r --arg f "$SCRATCH/out/x" 'select(.file == $f)' "$J" | jq -s length)
is "$n" 0 "--path: a file outside DIR is not"
ino=$(stat -c %i "$SCRATCH/in/sub/rel")
n=$(jq -r --argjson ino "$ino" 'select(.event == "mm_filemap_add_to_page_cache" and .ino == $ino)' "$J" | jq -s length)
[ "$n" -ge 1 ]
ok $? "--path: the file's page-cache adds are recorded ($n)"

# --cgroup: tasks of a cgroup v2 and its descendants
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cg2" ]; then
	mkdir -p "$SCRATCH/cg2" && mount -t cgroup2 none "$SCRATCH/cg2" 2>/dev/null &&
		cg2=$SCRATCH/cg2 && mounted_cg2=1
fi
if [ -z "$cg2" ]; then
	skip 2 "no cgroup v2 hierarchy and none can be mounted"
else
	cg=$cg2/pcrace-test-$$
	mkdir -p "$cg/child"
	"$PCRACE" record -o "$SCRATCH/cg.pcr" --cgroup "$cg" -d 20 2>/dev/null &
	rec=$!
	sleep 1
	sh -c "echo \$\$ > $cg/child/cgroup.procs; exec dd if=/dev/zero of=$SCRATCH/cg1 bs=4k count=2 status=none"
	dd if=/dev/zero of="$SCRATCH/cg2" bs=4k count=2 status=none
	sleep 0.5
	kill -INT $rec
	wait $rec
	rmdir "$cg/child" "$cg"
	[ -n "${mounted_cg2:-}" ] && umount "$cg2"
	"$PCRACE" dump --json "$SCRATCH/cg.pcr" > "$J"
	n=$(jq -r --arg f "$SCRATCH/cg1" 'select(.event == "write" and .phase == "enter" and .file == $f)' "$J" | jq -s length)
	is "$n" 2 "--cgroup: a task in a child cgroup is recorded"
	n=$(jq -r --arg f "$SCRATCH/cg2" 'select(.file == $f)' "$J" | jq -s length)
	is "$n" 0 "--cgroup: a task outside it is not"
fi

"$PCRACE" record -o "$SCRATCH/r.pcr" --require xas_store -- true 2> "$SCRATCH/err"
is $? 125 "--require of a probe this build cannot attach: exit 125"
grep -q 'required probe xas_store' "$SCRATCH/err"
ok $? "--require names the missing probe"
done_testing
