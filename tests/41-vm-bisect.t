#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pcrace-bisect end to end in the test VM, over prebuilt kernels: Debian's
# stock 6.1, then the corpus kernel twice, all booted with
# pcrace_inject=32 (seed 5's bit; the stock kernel has no such switch).
# Seed 5's trace (MADV_HWPOISON inside a DAX PMD) warns in
# dax_insert_entry on the corpus kernel and not on the stock one, so the
# bisection must name the first corpus kernel, verified against the stock
# kernel before it, with every step a real boot and replay.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed"
command -v jq >/dev/null || skip_all "jq not installed"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
D=$(mktemp -d /var/tmp/pcrace-bisect-vm.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
plan 5

k=$("$TOP/scripts/build-kernel" --patches "$TOP/corpora/kernel" 2> "$D/build.err") ||
	{ sed 's/^/# /' "$D/build.err"; }
stock=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
	awk '{print $1}' | sort -V | tail -1)
printf '%s\n' "# oldest first" "${stock:-linux-image-6.1.0-missing-amd64}" "$k" "$k" \
	> "$D/kernels"

t0=$SECONDS
"$TOP/scripts/pcrace-bisect" --kernels "$D/kernels" --fs ext4-dax --mkfs-opts "-b 4096" \
	--append "pcrace_inject=32 loglevel=4" --bad-trials 3 --timeout 900 \
	-- "$TOP/corpora/seed5-dax-poison/trace.pcr" > "$D/out" 2> "$D/err"
rc=$?
is "$rc" 0 "pcrace-bisect over 3 prebuilt kernels exits 0 ($((SECONDS - t0)) s)" ||
	tail -5 "$D/err" | sed 's/^/# /'
grep -q '^culprit: \[1\] ' "$D/out"
ok $? "the culprit is the first corpus kernel" || sed 's/^/# /' "$D/out"
p=$(sed -n 's/^posterior: //p' "$D/out")
awk -v p="${p:-0}" 'BEGIN { exit !(p >= 0.95) }'
ok $? "its posterior passes the threshold ($p)"
grep -Eq '^failure rate: bad side [1-9][0-9]*/[0-9]+, good side 0/[1-9]' "$D/out"
ok $? "the bad side failed, the good side ran and did not" || grep rate "$D/out" | sed 's/^/# /'
grep -Eq '^  \[0\] .*: 0/[1-9][0-9]* failed' "$D/out"
ok $? "the stock kernel before it was tested: the culprit is verified against its parent"
# the report, for the log
sed 's/^/# /' "$D/out" "$D/err"
