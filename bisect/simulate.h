/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic-history bisection runs (see simulate.c). */
#ifndef PCRACE_SIMULATE_H
#define PCRACE_SIMULATE_H

#include <linux/types.h>

struct sim_params {
	int commits, runs;
	__u64 seed;
	double build_cost, trial_cost;	/* seconds, for the Bayesian choice */
	double step_cost;		/* a VM boot per step */
	double threshold;		/* posterior to stop at */
};

struct sim_result {
	int correct, refused;
	long trials, builds;		/* over all runs */
};

/* The Bayesian search, runs times. */
void sim_bayes(const struct sim_params *sp, double p, struct sim_result *r);
/* Plain bisection with per_commit runs, good = no failure (syzbot: 10). */
void sim_fixed(const struct sim_params *sp, double p, int per_commit,
	       struct sim_result *r);
double sim_accuracy(const struct sim_params *sp, const struct sim_result *r);

#endif /* PCRACE_SIMULATE_H */
