/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two plans compared field by field: files, mappings, threads, ops and
 * their waits.  For tests/plan_compare.c and the fuzz harness, which set
 * a trace's plan against the plan of its scenario text.
 */
#ifndef PCRACE_TEST_PLAN_EQUAL_H
#define PCRACE_TEST_PLAN_EQUAL_H

#include <stdio.h>
#include <string.h>
#include "../replay/plan.h"

static int differ(const char *trace, const char *what, unsigned int i)
{
	printf("%s: %s %u differs\n", trace, what, i);
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int plan_differ(const char *trace, const struct plan *a,
		   const struct plan *b)
{
	unsigned int i;

	if (a->nfiles != b->nfiles || a->nmaps != b->nmaps ||
	    a->nops != b->nops || a->nthreads != b->nthreads ||
	    a->nprocs != b->nprocs || a->ndeps != b->ndeps ||
	    a->have_durations != b->have_durations) {
		printf("%s: counts: files %u/%u maps %u/%u ops %u/%u threads %u/%u deps %u/%u\n",
		       trace, a->nfiles, b->nfiles, a->nmaps, b->nmaps, a->nops,
		       b->nops, a->nthreads, b->nthreads, a->ndeps, b->ndeps);
		return 1;
	}
	for (i = 0; i < a->nfiles; i++) {
		const struct plan_file *x = &a->files[i], *y = &b->files[i];

		if (!same_str(x->path, y->path) || x->size != y->size ||
		    strcmp(x->fstype, y->fstype) || x->blksize != y->blksize ||
		    !same_str(x->opts, y->opts) || x->bdev != y->bdev ||
		    x->pseudo != y->pseudo)
			return differ(trace, "file", i);
	}
	for (i = 0; i < a->nmaps; i++) {
		const struct plan_map *x = &a->maps[i], *y = &b->maps[i];

		if (x->file != y->file || x->off != y->off || x->len != y->len ||
		    x->colour != y->colour || x->has_colour != y->has_colour ||
		    x->prot != y->prot || x->flags != y->flags ||
		    x->mmap_op != y->mmap_op)
			return differ(trace, "map", i);
	}
	for (i = 0; i < a->nthreads; i++) {
		const struct plan_thread *x = &a->threads[i], *y = &b->threads[i];

		if (x->proc != y->proc || x->nops != y->nops ||
		    strcmp(x->name, y->name) ||
		    memcmp(x->ops, y->ops, x->nops * sizeof(*x->ops)))
			return differ(trace, "thread", i);
	}
	for (i = 0; i < a->nops; i++) {
		const struct plan_op *x = &a->ops[i], *y = &b->ops[i];

		if (memcmp(x, y, sizeof(*x)))
			return differ(trace, "op", i);
	}
	if (a->ndeps &&
	    memcmp(a->deps, b->deps, a->ndeps * sizeof(*a->deps)))
		return differ(trace, "dep array at", 0);
	return 0;
}

#endif /* PCRACE_TEST_PLAN_EQUAL_H */
