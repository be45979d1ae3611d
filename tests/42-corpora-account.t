#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# How scripts/corpora-run counts the runs of one boot (corpus_account):
# from what a guest leaves behind (its runs log, tick, verdict, failure
# lines; the serial console), made up here, no VM.  Each case is a boot
# of a side whose results so far are what the earlier cases left.
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/lib/corpus.sh"
D=$(mktemp -d /var/tmp/pcrace-account.XXXXXX)
trap 'rm -rf "$D"' EXIT
plan 19
SIG='soft lockup|detected stalls'

# guest BOOT: a boot's output directory, OUT/o made empty
guest() {
	rm -rf "$D/$1" && mkdir -p "$D/$1/o" && : > "$D/$1/console.log"
	echo "$D/$1"
}

# dead_guest BOOT RUNS TICK CONSOLE: a boot whose guest died mid-run, its
# o/runs, o/tick (none if TICK is empty) and console.log (printf %b)
dead_guest() {
	local b
	b=$(guest "$1")
	printf '%b' "$2" > "$b/o/runs"
	[ -z "$3" ] || echo "$3" > "$b/o/tick"
	printf '%b' "$4" > "$b/console.log"
	echo "$b"
}

# account OUT KIND OFFSET SIDE: the boot in OUT counted into side SIDE's
# results ($D/SIDE.tsv, .verdict, .failures, .ff)
account() {
	corpus_account "$1" "$2" "$3" "$SIG" "$D/$4.tsv" "$D/$4.verdict" \
		"$D/$4.failures" "$D/$4.ff"
}

# side one, replay: three runs end, the second with the signature, at a
# time after the side's earlier boots (10.5 s)
b=$(guest b1)
printf 'start 1 0.1\nend 1 0 0 1.2\nstart 2 1.3\nend 2 1 1 2.5\nstart 3 2.6\nend 3 0 0 3.0\n' > "$b/o/runs"
echo "pcrace: REPRODUCED (hang) in trial 1: run 2's" > "$b/o/verdict"
echo "run 2: sig=1 rc=1 pcrace: REPRODUCED (hang)" > "$b/o/failures"
echo "run 2: its output" > "$b/o/first-failure"
account "$b" replay 10.5 1
is "$(cat "$D/1.tsv")" "$(printf '1 0 0 11.700\n2 1 1 13.000\n3 0 0 13.500')" \
	"runs that ended: one line each, their times after the side's earlier boots"
is "$(cat "$D/1.verdict")" "pcrace: REPRODUCED (hang) in trial 1: run 2's" "the boot's verdict is the side's first"
is "$(cat "$D/1.failures")" "run 2: sig=1 rc=1 pcrace: REPRODUCED (hang)" "the guest's failure lines"
is "$(cat "$D/1.ff")" "run 2: its output" "the first failure's output"

# the next boot dies in run 4 with the signature 1.25 s (kernel clock)
# after the run's start mark; its own verdict never came
b=$(dead_guest b2 'start 4 2.0\n' '7.0' \
	'[   11.000000] pcrace-corpora: run 3 starts\n[   11.500000] watchdog: BUG: soft lockup - CPU#0 (run 3, not this one)\n[   12.000000] pcrace-corpora: run 4 starts\n[   13.250000] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [pcrace:214]\n')
account "$b" replay 13.5 1
is "$(tail -1 "$D/1.tsv")" "4 1 1 16.750" \
	"a run the guest died in: failed, signature, at the console's signature after its own start mark"
is "$(cat "$D/1.verdict")" "pcrace: REPRODUCED (hang) in trial 1: run 2's" "an earlier verdict stays the side's"
is "$(tail -1 "$D/1.failures")" "run 4: the guest died: watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [pcrace:214]" \
	"the dead guest's failure line: the signature after its start mark, not an earlier run's"
is "$(head -1 "$D/1.ff")" "run 2: its output" "the first failure stays the first"

# side two, replay: the guest dies in run 1 of another bug (no
# signature, but for a line from before the run's start): at the line
# that killed it, not the signature, and no verdict
b=$(dead_guest c1 'start 1 1.0\n' '3.5' \
	'[    4.500000] watchdog: BUG: soft lockup (before run 1: not its death)\n[    5.000000] pcrace-corpora: run 1 starts\n[    6.000000] kernel BUG at mm/truncate.c:448!\n')
account "$b" replay 0 2
is "$(cat "$D/2.tsv")" "1 1 0 2.000" "a guest dead of something else: failed without the signature, at what killed it"
[ -s "$D/2.verdict" ]
ok $((!$?)) "... and no verdict"
is "$(cat "$D/2.failures")" "run 1: the guest died: kernel BUG at mm/truncate.c:448!" "... and what killed it in the failures"
is "$(head -1 "$D/2.ff")" "run 1 (the guest died; its console):" "... and its console as the first failure"

# the next boot dies in run 2 with the signature: the console's line is
# the side's verdict, the first failure stays the first
b=$(dead_guest c2 'start 2 0.5\n' '' \
	'[    4.000000] pcrace-corpora: run 2 starts\n[    4.750000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n')
account "$b" replay 3.5 2
is "$(cat "$D/2.verdict")" "console: rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" \
	"a dead guest's signature line is the verdict when the side had none"
is "$(tail -1 "$D/2.tsv")" "2 1 1 4.750" "... and the run's time from its start mark"

# and a boot after that dies of the other bug: the verdict is not blanked
b=$(dead_guest c3 'start 3 0.2\n' '1.0' \
	'[    4.000000] pcrace-corpora: run 3 starts\n[    4.500000] kernel BUG at mm/truncate.c:448!\n')
account "$b" replay 4.75 2
is "$(cat "$D/2.verdict")" "console: rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" \
	"a later guest dead of something else leaves the verdict alone"

# the original workload has no verdict: a verdict file in its boot is
# not taken, nor is its dead guest's signature
b=$(guest o1)
printf 'start 1 0.0\nend 1 1 1 12.0\nstart 2 12.1\n' > "$b/o/runs"
echo "not the original's" > "$b/o/verdict"
printf '[    9.000000] pcrace-corpora: run 2 starts\n[   30.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n' > "$b/console.log"
account "$b" original 0 3
[ -e "$D/3.verdict" ]
ok $((!$?)) "the original's runs give no verdict"
is "$(cat "$D/3.tsv")" "$(printf '1 1 1 12.000\n2 1 1 33.100')" "the original's runs, the dead one at its signature"

# a guest dead within half a second of a run's start, nothing on its
# console: its last tick came from the run before (seed 1, session 18:
# a run -0.5 s long); the run ends at its start, not before
b=$(dead_guest d1 'start 1 0.0\nend 1 0 0 2.0\nstart 2 2.1\n' '1.9' \
	'[    3.000000] pcrace-corpora: run 2 starts\n')
account "$b" replay 0 4
is "$(tail -1 "$D/4.tsv")" "2 1 0 2.100" \
	"a guest dead with no line and no tick since a run's start: at its start, not before"
b=$(dead_guest d2 'start 3 0.5\n' '2.5' \
	'[    5.000000] pcrace-corpora: run 3 starts\n')
account "$b" replay 2.1 4
is "$(tail -1 "$D/4.tsv")" "3 1 0 4.600" "... with a tick since its start and no line: at that tick"
exit $_tap_fail
