// SPDX-License-Identifier: GPL-2.0
/*
 * plan_compare TRACE [SCENARIO]: the plan replay builds from the trace
 * (replay/plan_trace.c) against the plan of the scenario text `pcrace
 * dump --ops` makes of it, or of SCENARIO, read by replay/plan_parse.c;
 * field by field: files, mappings, threads, ops and their waits.  Exit
 * 0 and a summary if they are the same, 1 and the first difference if
 * not, 2 if either does not load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace_ops.h"
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

static int compare(const char *trace, const struct plan *a,
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
		struct plan_op x = a->ops[i], y = b->ops[i];

		/* names are the parser's table's strings: compared as text */
		if (!same_str(x.name, y.name))
			return differ(trace, "op name", i);
		x.name = y.name = NULL;
		if (memcmp(&x, &y, sizeof(x)))
			return differ(trace, "op", i);
	}
	if (a->ndeps &&
	    memcmp(a->deps, b->deps, a->ndeps * sizeof(*a->deps)))
		return differ(trace, "dep array at", 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct pcrace_read_result res = { 0 };
	struct plan direct, text;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *in;
	int r;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: plan_compare TRACE [SCENARIO]\n");
		return 2;
	}
	if (argc == 3) {
		in = fopen(argv[2], "r");
	} else {
		in = open_memstream(&buf, &len);
		if (in && pcrace_dump_ops(argv[1], in, &res)) {
			printf("%s: dump --ops: %s\n", argv[1], res.error);
			return 2;
		}
		if (in)
			fclose(in);
		in = fmemopen(buf, len, "r");
	}
	if (!in || plan_parse(&text, in, argv[argc - 1], NULL, err, sizeof(err))) {
		printf("%s: text: %s\n", argv[argc - 1], in ? err : "cannot read");
		return 2;
	}
	fclose(in);
	free(buf);
	if (plan_from_trace(&direct, argv[1], NULL, err, sizeof(err))) {
		printf("%s: trace: %s\n", argv[1], err);
		return 2;
	}
	r = compare(argv[1], &direct, &text);
	if (!r)
		printf("%u ops, %u threads, %u files, %u maps, %u waits the same\n",
		       direct.nops, direct.nthreads, direct.nfiles, direct.nmaps,
		       direct.ndeps);
	plan_free(&direct);
	plan_free(&text);
	return r;
}
