#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The flake-aware Bayesian bisection over synthetic histories: a culprit
# at a random one of 64 commits, failing with p = 0.05 .. 0.5 per trial.
# Over 200 runs per p it names the culprit >= 95% of the time, with fewer
# trials than plain bisection needs for the same accuracy with a fixed
# count per commit.  Then the state-file interface, driven the way
# scripts/pcrace-bisect drives it, finds a known culprit.
. "$(dirname "$0")/lib.sh"
[ -x "$PCRACE" ] || skip_all "pcrace not built"
make_scratch
plan 23

S=$SCRATCH
"$PCRACE" bisect simulate --commits 64 --runs 200 --seed 1 > "$S/sim"
ok $? "200 simulated bisections per p"
sed 's/^/# /' "$S/sim"
while read -r p acc trials builds syz_acc syz_trials fixed_n fixed_acc fixed_trials; do
	awk -v a="$acc" 'BEGIN { exit !(a >= 0.95) }'
	ok $? "p=$p: the culprit is right in $acc of runs (>= 0.95)"
	awk -v b="$trials" -v f="$fixed_trials" 'BEGIN { exit !(b < f) }'
	ok $? "p=$p: $trials trials on average, fewer than $fixed_trials for $fixed_n fixed runs per commit at accuracy $fixed_acc (syzbot's 10: $syz_acc)"
done < <(grep -v '^#' "$S/sim")

# The state-file loop on a deterministic history: 24 commits, culprit 17,
# a bad commit fails 30% of its trials.
fails() {	# fails COMMIT TRIALS SEED: failures of TRIALS trials there
	awk -v c="$1" -v m="$2" -v s="$3" 'BEGIN { srand(s); k = 0
		for (i = 0; i < m; i++) if (c >= 17 && rand() < 0.3) k++
		print k }'
}
"$PCRACE" bisect start "$S/st" --commits 24 --bad 20 0 2>/dev/null
is $? 2 "start refuses a bad end that did not reproduce"
"$PCRACE" bisect start "$S/st" --commits 24 --bad 20 "$(fails 23 20 1)" --build-cost 60 --trial-cost 10
ok $? "start records the bad end's trials"
steps=0
while [ $steps -lt 60 ]; do
	read -r what commit m < <("$PCRACE" bisect next "$S/st")
	[ "$what" = test ] || break
	steps=$((steps + 1))
	if [ "$commit" = 11 ]; then	# an untestable commit, as a build failure
		"$PCRACE" bisect skip "$S/st" 11
		continue
	fi
	"$PCRACE" bisect record "$S/st" "$commit" "$m" "$(fails "$commit" "$m" $steps)"
done
is "$what $commit" "done 17" "the loop ends on the culprit, commit 17, after $steps steps"
"$PCRACE" bisect status "$S/st" > "$S/status"
grep -q "^culprit 17 posterior 0\.9[5-9]" "$S/status"
ok $? "status: culprit 17 with its posterior ($(head -1 "$S/status"))"
grep -q "^commit 16 trials [1-9][0-9]* failures 0" "$S/status" &&
	grep -q "^commit 17 trials [0-9]* failures [1-9]" "$S/status"
ok $? "... verified: its parent passed its trials, it failed"

# A culprit right after the good end: the good end is verified too (it is
# good by the user's word only), and a failure there ends the bisection.
"$PCRACE" bisect start "$S/st1" --commits 8 --bad 20 "$(fails 23 20 1)" --build-cost 60 --trial-cost 10
steps=0
while [ $steps -lt 40 ]; do
	read -r what commit m < <("$PCRACE" bisect next "$S/st1")
	[ "$what" = test ] || break
	steps=$((steps + 1))
	# the culprit is commit 1: every commit but the good end fails at 30%
	k=$(awk -v c="$commit" -v m="$m" -v s=$steps 'BEGIN { srand(s); k = 0
		for (i = 0; i < m; i++) if (c >= 1 && rand() < 0.3) k++; print k }')
	"$PCRACE" bisect record "$S/st1" "$commit" "$m" "$k"
done
"$PCRACE" bisect status "$S/st1" > "$S/status1"
grep -q "^culprit 1 " "$S/status1" && grep -q "^commit 0 trials [1-9][0-9]* failures 0" "$S/status1"
ok $? "a culprit at commit 1: the good end is tested before the verdict ($(grep '^commit 0' "$S/status1"))"
err=$("$PCRACE" bisect record "$S/st1" 0 10 2 2>&1)
is "$? $err" "125 pcrace: bisect: the good end failed 2 of 10 trials: it is not good" \
	"failures at the good end: exit 125, the range is not as stated"

# Prebuilt mode's kernel list: a kernel and at most one git revision per
# line; with --git, each revision must name a commit (checked before any
# VM boots, so a typo costs nothing).
git -C "$S" init -q repo && git -C "$S/repo" -c user.name=t -c user.email=t@t \
	commit -q --allow-empty -m one
one=$(git -C "$S/repo" rev-parse HEAD)
printf 'k1 %s\nk2 %s extra\n' "$one" "$one" > "$S/kernels"
err=$("$TOP/scripts/pcrace-bisect" --kernels "$S/kernels" -- "$S/none.pcr" 2>&1)
is $? 2 "a kernel list line with two revisions: usage error ($err)"
printf 'k1 %s\nk2 0123456789abcdef\n' "$one" > "$S/kernels"
err=$("$TOP/scripts/pcrace-bisect" --kernels "$S/kernels" --git "$S/repo" -- "$S/none.pcr" 2>&1)
is $? 2 "a revision that names no commit: usage error ($err)"
grep -q 'no commit 0123456789abcdef' <<< "$err"
ok $? "... and the error names it"
# What the prebuilt phase saw is handed on to the source phase; a
# malformed hand-over (or a bad end that never failed) is a usage error.
err=$("$TOP/scripts/pcrace-bisect" --git "$S/repo" --good "$one" --bad "$one" \
	--bad-observed 10:0:3.5:10 -- "$S/none.pcr" 2>&1)
is "$? $err" "2 pcrace-bisect: --bad-observed M:K:TRIAL_S:BOOT_S, K > 0, not '10:0:3.5:10'" \
	"--bad-observed with no failure: usage error"
err=$("$TOP/scripts/pcrace-bisect" --git "$S/repo" --good "$one" --bad "$one" \
	--good-observed 31 -- "$S/none.pcr" 2>&1)
is "$? $err" "2 pcrace-bisect: --good-observed M:K, not '31'" "--good-observed without K: usage error"
# a handed-over good end that failed: the range is not as stated, before
# any VM boots (a prebuilt list's kernels need no build)
printf 'k1\nk2\n' > "$S/kernels"
err=$("$TOP/scripts/pcrace-bisect" --kernels "$S/kernels" --bad-observed 10:3:1.5:8 \
	--good-observed 10:2 -- "$S/none.pcr" 2>&1)
is "$? $(tail -1 <<< "$err")" "125 pcrace: bisect: the good end failed 2 of 10 trials: it is not good" \
	"a handed-over good end with failures: exit 125"
grep -q "the bad end (k2) already failed 3/10" <<< "$err"
ok $? "... and the bad end was taken as handed over, not measured"
done_testing
