// SPDX-License-Identifier: GPL-2.0
/*
 * timing_self A B: how closely a second run of the recorded workload
 * (recording B) keeps the inter-op gaps of the first (recording A), by
 * the measure replay's --timing recorded figures use: for each op of A
 * after the first, |gap to the op before it in A's order, in B - that
 * gap in A|.  This is the peer replay's timing error is set against: a
 * workload whose threads each do the same ops every run (its own seeded
 * jitter, as tests/workload_threads has) run again.
 *
 * Threads are matched by their ops other than touches (kind, offset,
 * length, O_DIRECT), which must be the same in both.  Touches (faults)
 * need not be: a store to a page already mapped writable does not fault,
 * and which pages are depends on the run.  Between two of its other ops
 * a thread's j-th touch in A is matched with its j-th touch there in B
 * if that touches the same page; a gap with an op left unmatched is not
 * counted.  It also sets each op's duration against its match's
 * (touches left out: a fault's end is not recorded): how much the
 * kernel's own time for one op varies between runs, which a replay that
 * keeps the recorded order waits out.  Prints one line; exit 2 if a
 * recording does not load or the two threads' ops differ.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "pcrace_ops.h"
#include "pcrace_percentile.h"
#include "../replay/plan.h"

static bool same_op(const struct plan_op *a, const struct plan_op *b)
{
	return a->kind == b->kind && a->off == b->off && a->len == b->len &&
	       a->direct == b->direct;
}

/* Thread ta of a against tb of b: the same ops other than touches. */
static bool same_thread(const struct plan *a, unsigned int ta,
			const struct plan *b, unsigned int tb)
{
	const struct plan_thread *x = &a->threads[ta], *y = &b->threads[tb];
	unsigned int i = 0, j = 0;

	for (;;) {
		while (i < x->nops && a->ops[x->ops[i]].kind == PK_TOUCH)
			i++;
		while (j < y->nops && b->ops[y->ops[j]].kind == PK_TOUCH)
			j++;
		if (i == x->nops || j == y->nops)
			return i == x->nops && j == y->nops;
		if (!same_op(&a->ops[x->ops[i++]], &b->ops[y->ops[j++]]))
			return false;
	}
}

/* match[a's op] = b's op, or PLAN_NONE, for a's thread ta and b's tb. */
static void match_thread(const struct plan *a, unsigned int ta,
			 const struct plan *b, unsigned int tb,
			 unsigned int *match)
{
	const struct plan_thread *x = &a->threads[ta], *y = &b->threads[tb];
	unsigned int i = 0, j = 0;

	while (i < x->nops) {
		const struct plan_op *oa = &a->ops[x->ops[i]];
		const struct plan_op *ob = j < y->nops ? &b->ops[y->ops[j]] : NULL;

		if (oa->kind != PK_TOUCH) {
			/* b's touches before this op are left over */
			while (ob && ob->kind == PK_TOUCH)
				ob = ++j < y->nops ? &b->ops[y->ops[j]] : NULL;
			match[x->ops[i++]] = y->ops[j++];
			continue;
		}
		if (ob && ob->kind == PK_TOUCH) {
			if (ob->off == oa->off && ob->touch == oa->touch)
				match[x->ops[i]] = y->ops[j];
			j++;
		}
		i++;
	}
}

/* d[0..n) reordered: its median and p99, as replay's figures take them */
static void print_p50_p99(const char *what, double *d, unsigned int n)
{
	double p99 = pcrace_kth(d, n, pcrace_p99_index(n));

	printf(" %s_p50_us %.1f %s_p99_us %.1f", what, pcrace_kth(d, n, n / 2),
	       what, p99);
}

int main(int argc, char **argv)
{
	struct plan a, b;
	unsigned int *match, *taken, i, t, u, n = 0, nd = 0, matched = 0;
	char err[1024];
	double *d, *dur;

	if (argc != 3) {
		fprintf(stderr, "usage: timing_self RECORDING RECORDING_AGAIN\n");
		return 2;
	}
	if (plan_load(&a, argv[1], NULL, err, sizeof(err)) ||
	    plan_load(&b, argv[2], NULL, err, sizeof(err))) {
		fprintf(stderr, "timing_self: %s\n", err);
		return 2;
	}
	match = malloc(a.nops * sizeof(*match));
	taken = calloc(b.nthreads + 1, sizeof(*taken));
	d = malloc(a.nops * sizeof(*d));
	dur = malloc(a.nops * sizeof(*dur));
	if (!match || !taken || !d || !dur) {
		fprintf(stderr, "timing_self: out of memory\n");
		return 2;
	}
	for (i = 0; i < a.nops; i++)
		match[i] = PLAN_NONE;
	for (t = 0; t < a.nthreads; t++) {
		for (u = 0; u < b.nthreads; u++)
			if (!taken[u] && same_thread(&a, t, &b, u))
				break;
		if (u == b.nthreads) {
			fprintf(stderr, "timing_self: %s's thread %s does no thread's ops in %s\n",
				argv[1], a.threads[t].name, argv[2]);
			return 2;
		}
		taken[u] = 1;
		match_thread(&a, t, &b, u, match);
	}
	for (i = 0; i < a.nops; i++) {
		if (match[i] == PLAN_NONE)
			continue;
		matched++;
		if (a.ops[i].kind != PK_TOUCH)
			dur[nd++] = fabs((double)a.ops[i].dur -
					 (double)b.ops[match[i]].dur);
	}
	for (i = 1; i < a.nops; i++) {
		double ga, gb;

		if (match[i] == PLAN_NONE || match[i - 1] == PLAN_NONE)
			continue;
		ga = (double)a.ops[i].usec - (double)a.ops[i - 1].usec;
		gb = (double)b.ops[match[i]].usec - (double)b.ops[match[i - 1]].usec;
		d[n++] = ga > gb ? ga - gb : gb - ga;
	}
	if (!n) {
		fprintf(stderr, "timing_self: no gap to compare\n");
		return 2;
	}
	printf("ops %u matched %u gaps %u", a.nops, matched, n);
	print_p50_p99("gap", d, n);
	if (nd)
		print_p50_p99("dur", dur, nd);
	putchar('\n');
	free(match);
	free(taken);
	free(d);
	free(dur);
	plan_free(&a);
	plan_free(&b);
	return 0;
}
