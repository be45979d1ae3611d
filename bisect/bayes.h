/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flake-aware Bayesian bisection.  Commits 0..n-1 in order; commit 0 is
 * good and commit n-1 bad.  The culprit c (1 <= c < n) is the first bad
 * commit.  A trial on a bad commit fails with an unknown probability p,
 * on a good one never: failures can be missed, never invented.  The
 * posterior is kept jointly over (c, p), p on a grid, so the failure
 * rate is learnt from every trial, not fixed from the bad end alone.
 *
 * The next step is the (commit, number of trials) with the most expected
 * information about c per second, where every step costs a boot, and a
 * commit not yet built its build, on top of its trials.
 */
#ifndef PCRACE_BAYES_H
#define PCRACE_BAYES_H

#include <stdbool.h>

#define BAYES_GRID	32

struct bayes {
	int n;				/* commits */
	double *post;			/* n x BAYES_GRID, normalised */
	double p[BAYES_GRID];		/* the grid of failure rates */
	int *trials, *failures;		/* per commit */
	bool *built, *skipped;
	double build_cost, trial_cost;	/* seconds */
	double step_cost;		/* seconds per step: a VM boot */
};

/*
 * prior_fail/prior_trials: what was measured at the bad end (a Beta
 * prior on p, from a uniform one); both 0 for none.
 */
int bayes_init(struct bayes *b, int n, int prior_fail, int prior_trials,
	       double build_cost, double trial_cost);
void bayes_free(struct bayes *b);

/* k failures in m trials at commit i. */
void bayes_observe(struct bayes *b, int i, int m, int k);
/* Commit i cannot be tested (build failure, boot failure): left out. */
void bayes_skip(struct bayes *b, int i);

/* The most probable culprit and its posterior probability. */
int bayes_best(const struct bayes *b, double *prob);
/* Posterior probability that commit i is the culprit. */
double bayes_prob(const struct bayes *b, int i);
/* Posterior mean of p. */
double bayes_rate(const struct bayes *b);

/* The next commit to test and how many trials to run there. */
void bayes_next(const struct bayes *b, int *commit, int *trials);
/*
 * The whole policy: bayes_next() until the posterior passes threshold,
 * then verification (the culprit fails at least once, its parent passes
 * the trials that make it good with 99% confidence at the 10th
 * percentile of the learnt rate).
 * True when done, with the culprit in *commit.
 */
bool bayes_step(const struct bayes *b, double threshold, int *commit,
		int *trials);

#endif /* PCRACE_BAYES_H */
