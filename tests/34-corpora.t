#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The corpora on the corpus kernel (the test kernel with
# corpora/kernel/series): each scenario's recorded trace, replayed in the
# test VM, reproduces its seed's own failure with the scenario's
# pcrace_inject bit set, and nothing with the mask 0 over as many trials.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
D=$(mktemp -d /var/tmp/pcrace-vmtest.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
# the injected side stops at its first failure (at most MAX trials; seed
# 4 fails ~20% of its trials, so 60 without one would be 1 in 10^5); the
# clean side runs all of TRIALS
MAX=${PCRACE_CORPORA_MAX:-60}
TRIALS=${PCRACE_CORPORA_TRIALS:-30}
scenarios=()
for s in "$TOP"/corpora/*/scenario.sh; do
	[ -f "$(dirname "$s")/trace.pcr" ] && scenarios+=("$(dirname "$s")")
done
[ ${#scenarios[@]} -gt 0 ] || skip_all "no corpus scenario has a trace yet"
plan $((4 * ${#scenarios[@]}))

k=$("$TOP/scripts/build-kernel" --patches "$TOP/corpora/kernel" 2> "$D/build.err") ||
	{ sed 's/^/# /' "$D/build.err"; }

# side SCENARIO MASK NAME REPLAY_ARGS: replay the trace in the VM
side() {
	local s=$1 mask=$2 name=$3 args=$4
	(
		. "$s/scenario.sh"
		"$TOP/scripts/pcrace-vm" --kernel "$k" --fs "$FS" ${MKFS_OPTS:+--mkfs-opts "$MKFS_OPTS"} \
			--append "pcrace_inject=$mask" --timeout 1800 --out "$D/$name" -- \
			sh -c "mkdir -p \$PCRACE_VM_MNT/replay &&
			       $PCRACE replay $args --json --target \$PCRACE_VM_MNT/replay \
			       $s/trace.pcr $REPLAY_OPTS > \$PCRACE_VM_OUT/v.json 2> \$PCRACE_VM_OUT/v.err" \
			> /dev/null 2> "$D/$name.vm.err"
	)
}

for s in "${scenarios[@]}"; do
	n=$(basename "$s")
	bit=$(. "$s/scenario.sh"; echo "$INJECT_BIT")
	sig=$(. "$s/scenario.sh"; echo "$REPLAY_SIGNATURE")
	side "$s" $((1 << bit)) "$n.injected" "--loops $MAX"
	f=$(jq -r .failures "$D/$n.injected/v.json" 2>/dev/null)
	t=$(jq -r .trials "$D/$n.injected/v.json" 2>/dev/null)
	[ "${f:-0}" -gt 0 ]
	ok $? "$n: the replay reproduces on the injected kernel (in trial ${t:-?} of at most $MAX)"
	grep -q "REPRODUCED.*$sig" "$D/$n.injected/v.err" 2>/dev/null
	ok $? "... as the seed's failure: $(grep -m1 -o "REPRODUCED.*" "$D/$n.injected/v.err" 2>/dev/null | cut -c1-150)"
	side "$s" 0 "$n.clean" "--rate --loops $TRIALS"
	is "$(jq -r '"\(.failures)/\(.trials)"' "$D/$n.clean/v.json" 2>/dev/null)" "0/$TRIALS" \
		"$n: no failure on the clean kernel (mask 0) in $TRIALS trials"
	r=$(jq -r .reads_checked "$D/$n.clean/v.json" 2>/dev/null)
	[ "${r:-0}" -gt 0 ]
	ok $? "... with its reads judged ($r in the last trial)"
done
done_testing
