// SPDX-License-Identifier: GPL-2.0
/*
 * Bisection over a synthetic history, to measure the Bayesian search
 * against fixed-count rules: a culprit at a random commit, and trials
 * that fail with probability p on commits at or after it, never before.
 * Every strategy first measures the bad end (until 2 failures, at most
 * 200 trials) and refuses to start without one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "pcrace_rand.h"
#include "bayes.h"
#include "simulate.h"

#define BAD_END_MAX	200
#define TRIAL_CAP	5000

static double uniform(__u64 *s)
{
	return (pcrace_splitmix64(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int run_trials(__u64 *s, int m, bool bad, double p)
{
	int k = 0;

	while (m--)
		k += bad && uniform(s) < p;
	return k;
}

/* Trials at the bad end until 2 failures; false if none at all. */
static bool bad_end(__u64 *s, double p, int *m, int *k)
{
	*m = *k = 0;
	while (*m < BAD_END_MAX && *k < 2) {
		*k += run_trials(s, 1, true, p);
		(*m)++;
	}
	return *k > 0;
}

/*
 * A run's start, the same for every strategy: its culprit and the bad
 * end's measurement (counted in r).  0 when the bad end did not fail.
 */
static int start_run(const struct sim_params *sp, __u64 *seed, double p,
		     int *m, int *k, struct sim_result *r)
{
	int culprit = 1 + pcrace_splitmix64(seed) % (sp->commits - 1);
	bool failed = bad_end(seed, p, m, k);

	r->trials += *m;
	if (!failed) {
		r->refused++;
		return 0;
	}
	return culprit;
}

void sim_bayes(const struct sim_params *sp, double p, struct sim_result *r)
{
	__u64 seed = sp->seed;
	struct bayes b;
	int run, m, k, i, culprit, best;
	long spent;
	double prob;

	*r = (struct sim_result){ 0 };
	for (run = 0; run < sp->runs; run++) {
		culprit = start_run(sp, &seed, p, &m, &k, r);
		if (!culprit)
			continue;
		if (bayes_init(&b, sp->commits, k, m, sp->build_cost, sp->trial_cost))
			return;
		b.step_cost = sp->step_cost;
		spent = m;
		for (;;) {
			if (bayes_step(&b, sp->threshold, &i, &m) || spent > TRIAL_CAP)
				break;
			k = run_trials(&seed, m, i >= culprit, p);
			if (!b.built[i])
				r->builds++;
			bayes_observe(&b, i, m, k);
			r->trials += m;
			spent += m;
		}
		best = bayes_best(&b, &prob);
		r->correct += best == culprit;
		bayes_free(&b);
	}
}

void sim_fixed(const struct sim_params *sp, double p, int per_commit,
	       struct sim_result *r)
{
	__u64 seed = sp->seed;
	int run, lo, hi, mid, m, k, culprit;

	*r = (struct sim_result){ 0 };
	for (run = 0; run < sp->runs; run++) {
		culprit = start_run(sp, &seed, p, &m, &k, r);
		if (!culprit)
			continue;
		/* plain bisection; a commit is good when all its runs pass */
		lo = 0;
		hi = sp->commits - 1;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			k = run_trials(&seed, per_commit, mid >= culprit, p);
			r->trials += per_commit;
			r->builds++;
			if (k)
				hi = mid;
			else
				lo = mid;
		}
		r->correct += hi == culprit;
	}
}

double sim_accuracy(const struct sim_params *sp, const struct sim_result *r)
{
	return sp->runs ? (double)r->correct / sp->runs : 0;
}
