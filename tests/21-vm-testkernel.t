#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pcrace test kernel: built from Debian's linux-source-6.1 with
# scripts/kernel/pcrace.config and the corpus series (every injection
# off by default; cached; the first build takes ~17 min on 2 cores),
# booted with pmem, and recorded in: the probes Debian's kernel cannot
# give (xas_* on notrace code, page_ref:*) attach and fire.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
D=$(mktemp -d /var/tmp/pcrace-vmtest.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
plan 17

# the corpus kernel: the test kernel plus corpora/kernel/series, every
# injection off unless pcrace_inject asks for it
k=$("$TOP/scripts/build-kernel" --patches "$TOP/corpora/kernel" 2> "$D/build.err")
ok $? "build-kernel gives a test kernel"
[ -f "$k" ] || { sed 's/^/#   /' "$D/build.err"; done_testing; }
t0=$(date +%s%N)
k2=$("$TOP/scripts/build-kernel" --patches "$TOP/corpora/kernel" 2>/dev/null)
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$k2" = "$k" ] && [ "$ms" -lt 10000 ]
ok $? "a second request is served from the cache (${ms} ms)"

# in the same boot, a hang whose task is running, not blocked: a 256 MiB
# O_DIRECT read of a hole zero-fills the buffer in the kernel for seconds
cat > "$D/spin.ops" <<EOF
# pcrace scenario 1
file F1 /rec/hole size=1073741824 fs=ext4 blksize=4096 opts=rw type=reg
1 T1 +0 ~10 pread64 F1 off=0 len=268435456 direct = 268435456
EOF
"$TOP/scripts/pcrace-vm" --kernel "$k" --fs ext4 --timeout 300 --out "$D/e" -- \
	sh -c "$PCRACE record -o \$PCRACE_VM_OUT/t.pcr -- $OUT/workload_mixed \$PCRACE_VM_MNT/f &&
	       $PCRACE info \$PCRACE_VM_OUT/t.pcr > \$PCRACE_VM_OUT/info && {
	       $PCRACE replay --no-verify --hang-timeout 0.2 --target \$PCRACE_VM_MNT $D/spin.ops \
		       2> \$PCRACE_VM_OUT/spin.err; echo \$? > \$PCRACE_VM_OUT/spin.rc; }" \
	> /dev/null 2> "$D/e.err"
ok $? "the test kernel boots with pmem and runs record on ext4"
is "$(cat "$D/e/spin.rc" 2>/dev/null)" 1 "a read running in the kernel past --hang-timeout is a hang"
grep -q '^task [0-9]* (.*) state R:' "$D/e/spin.err" &&
	grep -q '^NMI backtrace for cpu' "$D/e/spin.err" &&
	grep -Eq '^ (iov_iter_zero|__iomap_dio_rw)\+' "$D/e/spin.err" &&
	grep -Eq '^pcrace: REPRODUCED \(hang\).* blocked for .*; CPU [0-9]+ runs [^ ]+ in [a-z_]' "$D/e/spin.err"
ok $? "... whose verdict has the running task's backtrace from sysrq-l, and names it"
J=$D/e.json
"$PCRACE" dump --json "$D/e/t.pcr" > "$J"
read -r dev ino < <(jq -r 'select(.event == "fd_bind" and .file == "/run/pcrace-mnt/f") | "\(.dev) \(.ino)"' "$J" | head -1)
grep -qP '^  kprobe:xas_store\tkprobe\tattached' "$D/e/info"
ok $? "xas_store attaches (CONFIG_KPROBE_EVENTS_ON_NOTRACE)"
pages=$(jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "xas_store" and .dev == $dev and .ino == $ino and .entry != 0) | .index' "$J" | sort -un | head -3 | paste -sd,)
is "$pages" "0,1,2" "xas_store puts pages 0-2 of the file into its xarray"
n=$(jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "xas_load" and .dev == $dev and .ino == $ino)' "$J" | jq -s length)
[ "$n" -gt 0 ]
ok $? "xas_load lookups on the file are recorded ($n)"
grep -qP '^  page_ref:page_ref_mod_and_test\ttracepoint\tattached' "$D/e/info"
ok $? "page_ref tracepoints attach (CONFIG_DEBUG_PAGE_REF)"
n=$(jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select((.event | startswith("page_ref_")) and .dev == $dev and .ino == $ino)' "$J" | jq -s length)
[ "$n" -gt 0 ]
ok $? "reference changes on the file's pages are recorded ($n)"
n=$(jq -r --arg dev "$dev" --argjson ino "${ino:-0}" \
	'select(.event == "page_ref_mod_and_test" and .dev == $dev and .ino == $ino and .ret == 1)' "$J" | jq -s length)
[ "$n" -gt 0 ]
ok $? "the last reference dropped on freed pages is seen (page_ref_mod_and_test ret=1: $n)"
# their page flags (hex in the text dump: 64-bit values lose their low
# bits in jq): some change shows the page up to date, PG_uptodate (bit 2)
n=$("$PCRACE" dump "$D/e/t.pcr" | grep -E " page_ref_[a-z_]+ dev=$dev, ino=$ino, " |
	grep -cE 'flags=0x[0-9a-f]*[4567cdef] ')
[ "$n" -gt 0 ]
ok $? "reference changes carry the page's flags (PG_uptodate in $n)"

# and on fsdax ext4
"$TOP/scripts/pcrace-vm" --kernel "$k" --fs ext4-dax --timeout 600 --out "$D/ed" -- \
	sh -c "mkdir -p \$PCRACE_VM_MNT/rec \$PCRACE_VM_MNT/replay &&
	       $PCRACE record -o \$PCRACE_VM_OUT/t.pcr -- $OUT/workload_threads \$PCRACE_VM_MNT/rec/data 20 &&
	       $PCRACE replay --json --target \$PCRACE_VM_MNT/replay \$PCRACE_VM_OUT/t.pcr \
		> \$PCRACE_VM_OUT/verdict.json" > /dev/null 2> "$D/ed.err"
is $? 0 "test kernel, fsdax ext4: a recording replays there and 'not reproduced' (0) comes out"
n=$(sed -n 's/.*"reads_checked":\([0-9]*\).*/\1/p' "$D/ed/verdict.json" 2>/dev/null)
[ "${n:-0}" -gt 5 ]
ok $? "... with the reads judged on DAX (${n:-0})"

# record and replay on fsdax xfs with the test kernel; the verdict comes out
"$TOP/scripts/pcrace-vm" --kernel "$k" --fs xfs-dax --timeout 600 --out "$D/x" -- \
	sh -c "mkdir -p \$PCRACE_VM_MNT/rec \$PCRACE_VM_MNT/replay &&
	       $PCRACE record -o \$PCRACE_VM_OUT/t.pcr -- $OUT/workload_threads \$PCRACE_VM_MNT/rec/data 30 &&
	       $PCRACE replay --json --loops 2 --target \$PCRACE_VM_MNT/replay \$PCRACE_VM_OUT/t.pcr \
		> \$PCRACE_VM_OUT/verdict.json" > /dev/null 2> "$D/x.err"
is $? 0 "test kernel, fsdax xfs: a recording replays there and 'not reproduced' (0) comes out"
grep -q '"trials":2,"failures":0' "$D/x/verdict.json" 2>/dev/null
ok $? "... over two trials"
n=$(sed -n 's/.*"reads_checked":\([0-9]*\).*/\1/p' "$D/x/verdict.json" 2>/dev/null)
[ "${n:-0}" -gt 10 ]
ok $? "... with the reads judged on DAX (${n:-0})"
done_testing
