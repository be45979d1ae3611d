// SPDX-License-Identifier: GPL-2.0
/*
 * Flake-aware Bayesian bisection (see bayes.h).  Choosing the next step
 * looks at every commit and several trial counts; with the posterior
 * summed over p into a few vectors first, each choice costs O(1), so a
 * step is O(commits x grid x counts).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace.h"
#include "bayes.h"

static const int counts[] = { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89 };
#define NCOUNTS	((int)ARRAY_SIZE(counts))

static double *cell(const struct bayes *b, int c, int g)
{
	return &b->post[(size_t)c * BAYES_GRID + g];
}

static void normalise(struct bayes *b)
{
	size_t i, n = (size_t)b->n * BAYES_GRID;
	double z = 0;

	for (i = 0; i < n; i++)
		z += b->post[i];
	if (z <= 0)
		return;
	for (i = 0; i < n; i++)
		b->post[i] /= z;
}

int bayes_init(struct bayes *b, int n, int prior_fail, int prior_trials,
	       double build_cost, double trial_cost)
{
	int c, g;

	memset(b, 0, sizeof(*b));
	if (n < 2)
		return -1;
	b->n = n;
	b->build_cost = build_cost;
	b->trial_cost = trial_cost;
	b->post = calloc((size_t)n * BAYES_GRID, sizeof(double));
	b->trials = calloc(n, sizeof(int));
	b->failures = calloc(n, sizeof(int));
	b->built = calloc(n, sizeof(bool));
	b->skipped = calloc(n, sizeof(bool));
	if (!b->post || !b->trials || !b->failures || !b->built || !b->skipped) {
		bayes_free(b);
		return -1;
	}
	for (g = 0; g < BAYES_GRID; g++)
		b->p[g] = (g + 0.5) / BAYES_GRID;
	/* uniform over culprits 1..n-1 and over the grid of p */
	for (c = 1; c < n; c++)
		for (g = 0; g < BAYES_GRID; g++)
			*cell(b, c, g) = 1;
	normalise(b);
	b->built[0] = b->built[n - 1] = true;
	if (prior_trials)
		bayes_observe(b, n - 1, prior_trials, prior_fail);
	return 0;
}

void bayes_free(struct bayes *b)
{
	free(b->post);
	free(b->trials);
	free(b->failures);
	free(b->built);
	free(b->skipped);
	memset(b, 0, sizeof(*b));
}

void bayes_observe(struct bayes *b, int i, int m, int k)
{
	double like[BAYES_GRID];
	int c, g;

	if (i < 0 || i >= b->n || m <= 0)
		return;
	b->trials[i] += m;
	b->failures[i] += k;
	b->built[i] = true;
	for (g = 0; g < BAYES_GRID; g++)
		like[g] = pow(b->p[g], k) * pow(1 - b->p[g], m - k);
	for (c = 0; c < b->n; c++)
		for (g = 0; g < BAYES_GRID; g++)
			/* commit i is bad iff the culprit is at or before it */
			*cell(b, c, g) *= c <= i ? like[g] : (k ? 0 : 1);
	normalise(b);
}

void bayes_skip(struct bayes *b, int i)
{
	if (i >= 0 && i < b->n)
		b->skipped[i] = true;
}

double bayes_prob(const struct bayes *b, int i)
{
	double s = 0;
	int g;

	for (g = 0; g < BAYES_GRID; g++)
		s += *cell(b, i, g);
	return s;
}

int bayes_best(const struct bayes *b, double *prob)
{
	int c, best = 1;
	double q, bq = -1;

	for (c = 1; c < b->n; c++) {
		q = bayes_prob(b, c);
		if (q > bq) {
			bq = q;
			best = c;
		}
	}
	*prob = bq;
	return best;
}

double bayes_rate(const struct bayes *b)
{
	double s = 0;
	int c, g;

	for (c = 0; c < b->n; c++)
		for (g = 0; g < BAYES_GRID; g++)
			s += *cell(b, c, g) * b->p[g];
	return s;
}

static double xlogx(double x)
{
	return x > 0 ? x * log(x) : 0;
}

/* Entropy of an unnormalised distribution of mass z with sum x log x = s. */
static double entropy(double z, double s)
{
	return z > 0 ? log(z) - s / z : 0;
}

void bayes_next(const struct bayes *b, int *commit, int *trials)
{
	int n = b->n, c, g, j, i;
	double *q = calloc(n, sizeof(double));
	double *w = calloc((size_t)n * NCOUNTS, sizeof(double));
	double *pre_w = calloc((size_t)(n + 1) * NCOUNTS, sizeof(double));
	double *pre_wl = calloc((size_t)(n + 1) * NCOUNTS, sizeof(double));
	double *pre_a = calloc((size_t)(n + 1) * NCOUNTS, sizeof(double));
	double *pre_al = calloc((size_t)(n + 1) * NCOUNTS, sizeof(double));
	double *pre_q = calloc(n + 1, sizeof(double));
	double *pre_ql = calloc(n + 1, sizeof(double));
	double h0, best = -1, score, cost;

	*commit = n - 1;
	*trials = 1;
	if (!q || !w || !pre_w || !pre_wl || !pre_a || !pre_al || !pre_q || !pre_ql)
		goto out;
	/*
	 * q(c): the culprit's marginal; w_m(c): the chance of c and of m
	 * trials at a bad commit all passing.
	 */
	for (c = 0; c < n; c++)
		for (g = 0; g < BAYES_GRID; g++) {
			double v = *cell(b, c, g);

			q[c] += v;
			for (j = 0; j < NCOUNTS; j++)
				w[(size_t)c * NCOUNTS + j] += v * pow(1 - b->p[g], counts[j]);
		}
	for (c = 0; c < n; c++) {
		pre_q[c + 1] = pre_q[c] + q[c];
		pre_ql[c + 1] = pre_ql[c] + xlogx(q[c]);
		for (j = 0; j < NCOUNTS; j++) {
			size_t k = (size_t)(c + 1) * NCOUNTS + j, k0 = (size_t)c * NCOUNTS + j;
			double wv = w[(size_t)c * NCOUNTS + j], av = q[c] - wv;

			pre_w[k] = pre_w[k0] + wv;
			pre_wl[k] = pre_wl[k0] + xlogx(wv);
			pre_a[k] = pre_a[k0] + (av > 0 ? av : 0);
			pre_al[k] = pre_al[k0] + xlogx(av > 0 ? av : 0);
		}
	}
	h0 = entropy(pre_q[n], pre_ql[n]);
	/*
	 * Testing commit i with m trials: "some failure" keeps culprits <= i
	 * weighted by q - w_m; "all pass" weighs them by w_m and keeps the
	 * later ones as they were.
	 */
	for (i = 1; i < n; i++) {
		if (b->skipped[i])
			continue;
		for (j = 0; j < NCOUNTS; j++) {
			size_t k = (size_t)(i + 1) * NCOUNTS + j;
			double pass_z = pre_w[k] + (pre_q[n] - pre_q[i + 1]);
			double pass_s = pre_wl[k] + (pre_ql[n] - pre_ql[i + 1]);
			double fail_z = pre_a[k], fail_s = pre_al[k];
			double info = h0 - entropy(pass_z, pass_s) * pass_z -
				      entropy(fail_z, fail_s) * fail_z;

			cost = (b->built[i] ? 0 : b->build_cost) + b->step_cost +
			       counts[j] * b->trial_cost;
			score = info / cost;
			if (score > best) {
				best = score;
				*commit = i;
				*trials = counts[j];
			}
		}
	}
out:
	free(q);
	free(w);
	free(pre_w);
	free(pre_wl);
	free(pre_a);
	free(pre_al);
	free(pre_q);
	free(pre_ql);
}

static double rate_quantile(const struct bayes *b, double q)
{
	double m[BAYES_GRID] = { 0 }, s = 0;
	int c, g;

	for (c = 0; c < b->n; c++)
		for (g = 0; g < BAYES_GRID; g++)
			m[g] += *cell(b, c, g);
	for (g = 0; g < BAYES_GRID; g++) {
		s += m[g];
		if (s >= q)
			return b->p[g];
	}
	return b->p[BAYES_GRID - 1];
}

bool bayes_step(const struct bayes *b, double threshold, int *commit,
		int *trials)
{
	double prob, rate;
	int best = bayes_best(b, &prob), need;

	if (prob < threshold) {
		bayes_next(b, commit, trials);
		return false;
	}
	/*
	 * Verify: the culprit must have failed, and its parent passed enough
	 * trials to be good with 99% confidence even if the rate is as low
	 * as its 10th percentile (a rate learnt from few failures is often
	 * too high, and a parent passed too soon is the usual wrong answer).
	 */
	rate = rate_quantile(b, 0.1);
	if (rate < 0.01)
		rate = 0.01;
	need = (int)ceil(log(0.01) / log(1 - rate));
	if (!b->failures[best]) {
		*commit = best;
		*trials = (int)ceil(1 / rate);
		return false;
	}
	/* the good end too: its goodness is the user's word until tested */
	if (best >= 1 && !b->skipped[best - 1] && b->trials[best - 1] < need) {
		*commit = best - 1;
		*trials = need - b->trials[best - 1];
		return false;
	}
	*commit = best;
	*trials = 0;
	return true;
}
