#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The corpora on the corpus kernel (the test kernel with
# corpora/kernel/series): each scenario's recorded trace, replayed in the
# test VM, reproduces its seed's own failure with the scenario's
# pcrace_inject bit set, and nothing with the mask 0 over as many trials.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../scripts/lib/corpus.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
D=$(mktemp -d /var/tmp/pcrace-vmtest.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
# The scenarios tested (all with a trace by default is too long for CI:
# the others run under scripts/corpora-run).  Per scenario: the injected
# side stops at its first failure (at most MAX trials; seed 4 fails ~20%
# of its trials, so 60 without one would be 1 in 10^5) and must show the
# seed's signature, in replay's verdict or, for a failure that takes the
# kernel down, on the console; the clean side runs all of TRIALS without
# a failure; a positive control on Debian's stock kernel must reproduce.
MAX=${PCRACE_CORPORA_MAX:-60}
TRIALS=${PCRACE_CORPORA_TRIALS:-30}
scenarios=()
for n in ${PCRACE_CORPORA_TEST:-seed4-generic418 seed7-gup-dio control-seed7-native}; do
	s=$TOP/corpora/$n
	w=$(. "$s/scenario.sh" 2>/dev/null; echo "${WORKLOAD:-$n}")
	[ -f "$TOP/corpora/$w/trace.pcr" ] && scenarios+=("$s")
done
[ ${#scenarios[@]} -gt 0 ] || skip_all "no corpus scenario has a trace yet"
tests=0
for s in "${scenarios[@]}"; do
	for sd in $(. "$s/scenario.sh"; echo ${SIDES:-injected clean}); do
		case $sd in
		clean) tests=$((tests + 1 + $(. "$s/scenario.sh"; echo "${DATA_ORACLE:-0}"))) ;;
		*) tests=$((tests + 2)) ;;
		esac
	done
done
plan $tests

k=$("$TOP/scripts/build-kernel" --patches "$TOP/corpora/kernel" 2> "$D/build.err") ||
	{ sed 's/^/# /' "$D/build.err"; }
make -s -C "$TOP" test-bins > /dev/null 2>&1

# side SCENARIO MASK NAME REPLAY_ARGS [RUNS]: replay the trace in the VM
# (MASK empty: Debian's stock kernel), in up to RUNS pcrace replay
# processes (default 1) until one exits non-zero; the number of runs
# made goes to runs.  A fresh process per trial is how corpora-run
# measures rates: seed 4 reproduced 4/20 that way, but 0 in 60 trials of
# one process in a CI run (its failure comes mostly in a first trial).
side() {
	local s=$1 mask=$2 name=$3 args=$4 runs=${5:-1}
	(
		. "$s/scenario.sh"
		corpus_vm_opts "$k" "$mask"
		w=${WORKLOAD:-$(basename "$s")}
		"$TOP/scripts/pcrace-vm" "${CORPUS_VM_OPTS[@]}" \
			--timeout 1800 --out "$D/$name" --log "$D/$name.console" -- \
			bash -c "MNT=\${PCRACE_VM_MNT:-/tmp/raw} DEV=\$PCRACE_VM_DEV; mkdir -p \$MNT/replay || exit 2
			       for r in \$(seq $runs); do
			       echo \$r > \$PCRACE_VM_OUT/runs
			       $PCRACE replay $args --json $CORPUS_REPLAY_TARGET \
			       $TOP/corpora/$w/trace.pcr $REPLAY_OPTS > \$PCRACE_VM_OUT/v.json 2> \$PCRACE_VM_OUT/v.err || exit
			       done" \
			> /dev/null 2> "$D/$name.vm.err"
	)
}

# reproduced NAME SIGNATURE FATAL: the signature in the verdict, or on
# the console of a kernel that went down
reproduced() {
	[ "$(jq -r .failures "$D/$1/v.json" 2>/dev/null)" -gt 0 ] 2>/dev/null &&
		grep -A40 REPRODUCED "$D/$1/v.err" 2>/dev/null | grep -Eq "$2" && return 0
	[ "$3" = 1 ] && grep -Eq "$2" "$D/$1.console" 2>/dev/null
}

# clean_failure NAME: what a failing clean boot left, for CI's log: its
# summary, the verdict (-a: a kernel-log line may make grep call v.err
# binary and print nothing), the end of replay's stderr, and what the
# guest's console said went wrong
clean_failure() {
	{
		echo "boot $1: the VM's last word: $(tail -1 "$D/$1.vm.err" 2>/dev/null)"
		jq -c . "$D/$1/v.json" 2>&1
		grep -a -m1 -A12 REPRODUCED "$D/$1/v.err" 2>&1
		tail -3 "$D/$1/v.err" 2>&1
		grep -a -E -m12 "BUG|Oops|WARNING|blocked for more|Call Trace|panic" \
			"$D/$1.console" 2>&1
	} | cut -c1-200 | sed 's/^/# /'
}

for s in "${scenarios[@]}"; do
	n=$(basename "$s")
	bit=$(. "$s/scenario.sh"; echo "${INJECT_BIT:-}")
	sig=$(. "$s/scenario.sh"; echo "$REPLAY_SIGNATURE")
	fatal=$(. "$s/scenario.sh"; echo "${FATAL:-0}")
	for sd in $(. "$s/scenario.sh"; echo ${SIDES:-injected clean}); do
		case $sd in
		injected|stock)
			mask=
			[ $sd = injected ] && mask=$((1 << bit))
			side "$s" "$mask" "$n.$sd" "--loops 1" "$MAX"
			t=$(cat "$D/$n.$sd/runs" 2>/dev/null)
			reproduced "$n.$sd" "$sig" "$fatal"
			ok $? "$n: the replay reproduces on the $sd kernel (in run ${t:-?} of at most $MAX, a trial each)"
			v=$(grep -m1 -o "REPRODUCED.*" "$D/$n.$sd/v.err" 2>/dev/null)
			[ -n "$v" ] || v=$(grep -Em1 "$sig" "$D/$n.$sd.console" 2>/dev/null)
			grep -Eq "$sig" <<< "$v"
			ok $? "... as the seed's failure: $(cut -c1-150 <<< "$v")"
			;;
		clean)
			# in boots of at most per trials (see seed 7's scenario.sh)
			per=$(. "$s/scenario.sh"; echo "${CLEAN_BOOT_TRIALS:-$TRIALS}")
			left=$TRIALS fails=0 done=0 b=0 failed=
			while [ "$left" -gt 0 ]; do
				m=$((left < per ? left : per)) b=$((b + 1))
				side "$s" 0 "$n.clean.$b" "--rate --loops $m"
				f=$(jq -r .failures "$D/$n.clean.$b/v.json" 2>/dev/null)
				t=$(jq -r .trials "$D/$n.clean.$b/v.json" 2>/dev/null)
				# no verdict (the guest died): a failure
				[[ $f =~ ^[0-9]+$ ]] || f=1
				[[ $t =~ ^[0-9]+$ ]] || t=0
				fails=$((fails + f)) done=$((done + t)) left=$((left - m))
				[ "$f" = 0 ] || failed=${failed:-$n.clean.$b}
			done
			is "$fails/$done" "0/$TRIALS" \
				"$n: no failure on the clean kernel (mask 0) in $TRIALS trials ($b boot(s))" ||
				clean_failure "$failed"
			r=$(jq -r .reads_checked "$D/$n.clean.$b/v.json" 2>/dev/null)
			if [ "$(. "$s/scenario.sh"; echo "${DATA_ORACLE:-0}")" = 1 ]; then
				[ "${r:-0}" -gt 0 ]
				ok $? "... with its reads judged ($r in the last trial)"
			fi
			;;
		esac
	done
done
done_testing
