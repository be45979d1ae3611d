# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/corpora-run and the tests: how a corpus scenario's VM
# is booted and where its replay writes (in a subshell that has sourced a
# scenario.sh; corpora-run and tests/34-corpora.t), said once so the two
# cannot drift apart; and how corpora-run counts a boot's runs
# (tests/42-corpora-account.t).

# corpus_vm_opts KERNEL MASK: pcrace-vm's options for one side, in the
# array CORPUS_VM_OPTS, and replay's target (expanded in the guest, where
# $MNT is the scratch mount) in CORPUS_REPLAY_TARGET.  MASK empty boots
# Debian's stock kernel, pcrace-vm's default.
corpus_vm_opts() {
	local kernel=$1 mask=$2 extra=

	# Warnings stay off the serial console: a race that warns per page
	# (seed 7 on a clean kernel) is slowed down by a console that TCG
	# prints a byte at a time; the guest reads dmesg.  A failure that
	# takes the kernel down panics it (oops=panic): a BUG can kill a task
	# holding a spinlock and wedge the guest until its time-out.
	[ "${FATAL:-0}" = 1 ] && extra=" oops=panic"
	if [ -n "$mask" ]; then
		CORPUS_VM_OPTS=(--kernel "$kernel" --append "pcrace_inject=$mask loglevel=4$extra")
	else
		CORPUS_VM_OPTS=(--append "loglevel=4")
	fi
	CORPUS_VM_OPTS+=(--fs "$FS")
	[ -n "${MKFS_OPTS:-}" ] && CORPUS_VM_OPTS+=(--mkfs-opts "$MKFS_OPTS")
	# shellcheck disable=SC2016
	CORPUS_REPLAY_TARGET=${REPLAY_TARGET:-'--target $MNT/replay'}
}

# corpus_run_death CONSOLE "N START" SIG_RE: when run N, started at START,
# died: START plus the kernel time from its start mark to the first line
# that matches SIG_RE after it
corpus_run_death() {
	local n=${2%% *} start=${2##* }

	awk -v n="$n" -v start="$start" -v re="$3" '
		match($0, /^\[ *[0-9]+\.[0-9]+\]/) { ts = substr($0, 2, RLENGTH - 2) + 0 }
		index($0, "pcrace-corpora: run " n " starts") { mark = ts; seen = 1; next }
		seen && $0 ~ re { printf "%.3f\n", start + ts - mark; found = 1; exit }
		END { exit !found }' "$1"
}

# What a console line that killed the guest looks like
CORPUS_DEATH_RE='BUG|Oops|panic|WARNING|stall|lockup'

# corpus_account OUT KIND OFFSET SIG_RE TSV VERDICT FAILS FIRST_FAILURE:
# what one boot of scripts/corpora-run adds to its side's results.  The
# guest left in OUT/o "start RUN SECONDS" and "end RUN FAILED SIG SECONDS"
# lines (runs), a tick, and replay's first verdict, its failure lines and
# first failure's output; OUT/console.log is the serial console.  Every
# run that ended becomes "RUN FAILED SIG SECONDS" in TSV, SECONDS counted
# from OFFSET on (the side's earlier boots).  A run that started and
# never ended died with the guest: it failed, with the signature if
# SIG_RE is on the console, at the console's signature line (in the
# kernel's clock from the run's start mark), else at the first line of
# what killed it, else at the last tick, never before its start (a guest
# dead within half a second of a run's start ticked last in the run
# before: seed 1's run 9 in session 18 came out -0.5 s long).  The
# side's verdict (replay only) is its first: a boot's own, whose runs
# came before the one the guest died in, then a dead guest's console
# line if it is the signature (a guest that died another way has no
# verdict to give, and must not blank an earlier one).
corpus_account() {
	local out=$1 kind=$2 offset=$3 sig_re=$4 tsv=$5 verdict=$6 fails=$7 ff=$8
	local last t sig=0 run

	awk -v off="$offset" '$1 == "end" { printf "%d %d %d %.3f\n", $2, $3, $4, $5 + off }' \
		"$out/o/runs" 2>/dev/null >> "$tsv"
	last=$(tail -1 "$out/o/runs" 2>/dev/null)
	[ "$kind" = replay ] && [ -f "$out/o/verdict" ] && [ ! -s "$verdict" ] &&
		cp "$out/o/verdict" "$verdict"
	cat "$out/o/failures" >> "$fails" 2>/dev/null
	if [[ $last == start* ]]; then
		run=$(echo "${last#start }" | cut -d' ' -f1)
		t=$(corpus_run_death "$out/console.log" "${last#start }" "$sig_re") ||
			t=$(corpus_run_death "$out/console.log" "${last#start }" "$CORPUS_DEATH_RE") ||
			t=$(awk -v s="${last##* }" '{ print ($1 + 0 > s + 0 ? $1 : s) }' \
			"$out/o/tick" 2>/dev/null)
		[ -n "$t" ] || t=${last##* }
		# what the console said from the run's start mark on (all of
		# it if the mark is not there): an earlier run's splat that it
		# survived is not what killed this one
		awk -v n="$run" 'index($0, "pcrace-corpora: run " n " starts") { from = NR }
			{ line[NR] = $0 }
			END { for (i = from + 0 ? from : 1; i <= NR; i++) print line[i] }' \
			"$out/console.log" > "$out/console.run" 2>/dev/null
		grep -Eq "$sig_re" "$out/console.run" && sig=1
		awk -v r="$run" -v t="$t" -v off="$offset" -v sig="$sig" \
			'BEGIN { printf "%d 1 %d %.3f\n", r, sig, t + off }' >> "$tsv"
		[ "$kind" = replay ] && [ $sig = 1 ] && [ ! -s "$verdict" ] &&
			grep -Em1 "$sig_re" "$out/console.run" |
			sed 's/^\[[ 0-9.]*\] //; s/^/console: /' > "$verdict"
		# its signature line, or what killed it
		echo "run $run: the guest died: $({ grep -Em1 "$sig_re" "$out/console.run" ||
			grep -Em1 "$CORPUS_DEATH_RE" "$out/console.run"; } |
			sed 's/^\[[ 0-9.]*\] //' | cut -c1-300)" >> "$fails"
	fi
	# what the first failure looked like: its output, or the console of
	# a guest that died in it
	if [ ! -f "$ff" ] && [ -f "$out/o/first-failure" ]; then
		cp "$out/o/first-failure" "$ff"
	elif [ ! -f "$ff" ] && [[ $last == start* ]]; then
		{ echo "run $run (the guest died; its console):"
		  grep -Ev 'does not have buffers attached' "$out/console.log" | tail -n 120; } > "$ff"
	fi
	return 0
}
