#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test VM: Debian's 6.1 kernel with an emulated NVDIMM under QEMU.
# pcrace record runs inside on fsdax ext4 and xfs (DAX fault events) and on
# non-DAX ext4 with 1 KiB blocks; a panicking guest and a hanging one get
# their own exit codes and leave no qemu behind.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
VM=$TOP/scripts/pcrace-vm
D=$(mktemp -d /var/tmp/pcrace-vmtest.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
plan 25

# record_in_vm FS NAME [MKFS_OPTS]: record workload_mixed on FS in the VM
record_in_vm() {
	local fs=$1 name=$2 mk=${3:-}
	"$VM" --fs "$fs" ${mk:+--mkfs-opts "$mk"} --timeout 300 --out "$D/$name" -- \
		sh -c "$PCRACE record -o \$PCRACE_VM_OUT/t.pcr -- $OUT/workload_mixed \$PCRACE_VM_MNT/f &&
		       $PCRACE info \$PCRACE_VM_OUT/t.pcr > \$PCRACE_VM_OUT/info; exit 3" \
		> "$D/$name.out" 2> "$D/$name.err"
}

# the file's (dev, ino) as the guest recorded it
file_key() {	# file_key TRACE -> "dev ino"
	"$PCRACE" dump --json "$1" | jq -r 'select(.event == "fd_bind" and .file == "/run/pcrace-mnt/f") | "\(.dev) \(.ino)"' | head -1
}

record_in_vm ext4-dax ext4dax
is $? 3 "ext4-dax: the command's exit status comes back (3)"
grep -q 'pcrace-mnt.*dax=always' "$D/ext4dax/info"
ok $? "ext4-dax: the trace's file table has the mount with dax=always"
grep -qP '^  pmem0\t259:\d+\t\d+\t1\t1' "$D/ext4dax/info"
ok $? "ext4-dax: the block-device table has pmem0, pmem and DAX capable"
read -r dev ino < <(file_key "$D/ext4dax/t.pcr")
n=$("$PCRACE" dump --json "$D/ext4dax/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "dax_pte_fault" and .dev == $dev and .ino == $ino) | .index' | sort -u | paste -sd,)
is "$n" "0,1" "ext4-dax: the two mmap stores are dax_pte_faults on indices 0 and 1"
n=$("$PCRACE" dump --json "$D/ext4dax/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "mm_filemap_add_to_page_cache" and .dev == $dev and .ino == $ino)' | jq -s length)
is "$n" 0 "ext4-dax: no page-cache adds for a DAX file"

# kernel-function probes: the VM's kernel has kprobes, this host may not
n=$("$PCRACE" dump --json "$D/ext4dax/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "grab_mapping_entry" and .dev == $dev and .ino == $ino) | .index' | sort -u | paste -sd,)
is "$n" "0,1" "ext4-dax: kprobe grab_mapping_entry: the DAX entry lock taken for indices 0 and 1"
n=$("$PCRACE" dump --json "$D/ext4dax/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "handle_mm_fault" and .dev == $dev and .ino == $ino) | .index' | sort -u | paste -sd,)
is "$n" "0,1" "ext4-dax: kprobe handle_mm_fault: user faults resolved to the file's indices 0 and 1"
grep -qP '^  kprobe:xas_load\tkprobe\t(attached|failed\tnotrace function)' "$D/ext4dax/info"
ok $? "xas_load is attached, or listed as a notrace function with the config that allows it"

record_in_vm xfs-dax xfsdax
is $? 3 "xfs-dax: the command ran"
grep -q 'pcrace-mnt.*xfs.*dax=always' "$D/xfsdax/info"
ok $? "xfs-dax: mounted with dax=always"
read -r dev ino < <(file_key "$D/xfsdax/t.pcr")
n=$("$PCRACE" dump --json "$D/xfsdax/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "dax_pte_fault" and .dev == $dev and .ino == $ino)' | jq -s length)
[ "$n" -ge 1 ]
ok $? "xfs-dax: dax_pte_fault events on the file ($n)"

record_in_vm ext4 ext41k "-b 1024"
is $? 3 "ext4 -b 1024 (no DAX): the command ran"
grep -qP 'pcrace-mnt/f\t0\text4\t1024\t.*dax=never' "$D/ext41k/info"
ok $? "ext4 -b 1024: the file table has block size 1024, dax=never"
read -r dev ino < <(file_key "$D/ext41k/t.pcr")
pages=$("$PCRACE" dump --json "$D/ext41k/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "mm_filemap_add_to_page_cache" and .dev == $dev and .ino == $ino) | .index' | sort -un | paste -sd,)
[[ $pages == 0,1,2* ]]
ok $? "ext4 -b 1024: buffered writes add pages 0-2 to the page cache ($pages)"
rets=$("$PCRACE" dump --json "$D/ext41k/t.pcr" | jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "__filemap_add_folio" and .dev == $dev and .ino == $ino) | "\(.index)=\(.ret)"' | sort -u | head -3 | paste -sd,)
is "$rets" "0=0,1=0,2=0" "ext4 -b 1024: kretprobe __filemap_add_folio returns 0 for pages 0-2"
[ -n "$(tail -c +1 "$D/ext41k/info" | grep -P '^  kprobe:\S+\tkprobe\tattached')" ]
ok $? "kprobes attach in the VM"
grep -q 'io_uring:io_uring_submit_sqe	tracepoint	attached' "$D/ext41k/info"
ok $? "6.1's io_uring_submit_sqe is attached in place of io_uring_submit_req"

# usage errors: exit 2, one line, no VM started
"$VM" --fs zfs -- true > /dev/null 2> "$D/u1"
is $? 2 "pcrace-vm --fs zfs is a usage error"
[ "$(wc -l < "$D/u1")" -eq 1 ] && grep -q -- '--fs zfs' "$D/u1"
ok $? "with one line naming it"
"$VM" --timeout 0 -- true > /dev/null 2>&1
is $? 2 "pcrace-vm --timeout 0 is a usage error"
"$TOP/scripts/build-kernel" --patches /nonexistent > /dev/null 2>&1
is $? 2 "build-kernel --patches without a series file is a usage error"

# a panicking guest
"$VM" --fs none --timeout 120 -- sh -c 'echo c > /proc/sysrq-trigger' > /dev/null 2> "$D/panic.err"
is $? 120 "a guest panic gives exit 120"
grep -q 'Kernel panic - not syncing' "$D/panic.err"
ok $? "with the panic text on stderr"

# a hanging guest
"$VM" --fs none --timeout 20 -- sleep 1000 > /dev/null 2> "$D/hang.err"
is $? 124 "a guest that does not finish gives exit 124 (time-out)"
sleep 0.5
! pgrep -f "mem-path=/var/tmp/pcrace-vm" > /dev/null
ok $? "no qemu process is left behind"
done_testing
