// SPDX-License-Identifier: GPL-2.0
/*
 * plan_compare TRACE [SCENARIO]: the plan replay builds from the trace
 * (replay/plan_trace.c) against the plan of the scenario text `pcrace
 * dump --ops` makes of it, or of SCENARIO, read by replay/plan_parse.c;
 * field by field: files, mappings, threads, ops and their waits.
 * plan_compare --image IN IMAGE: the plan of trace or scenario IN against
 * the one plan image IMAGE holds (`pcrace plan IN IMAGE`).  Exit 0 and a
 * summary if they are the same, 1 and the first difference if not, 2 if
 * either does not load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace_ops.h"
#include "../replay/plan.h"
#include "plan_equal.h"

static int report(const char *name, struct plan *a, struct plan *b)
{
	int r = plan_differ(name, a, b);

	if (!r)
		printf("%u ops, %u threads, %u files, %u maps, %u waits the same\n",
		       a->nops, a->nthreads, a->nfiles, a->nmaps, a->ndeps);
	plan_free(a);
	plan_free(b);
	return r;
}

static int compare_image(const char *in, const char *image)
{
	struct plan built, mapped;
	char err[1024];

	if (plan_load(&built, in, NULL, err, sizeof(err))) {
		printf("%s\n", err);
		return 2;
	}
	if (plan_load(&mapped, image, NULL, err, sizeof(err))) {
		printf("%s\n", err);
		plan_free(&built);
		return 2;
	}
	if (!mapped.image) {
		printf("%s: not a plan image\n", image);
		return 2;
	}
	return report(image, &built, &mapped);
}

int main(int argc, char **argv)
{
	struct pcrace_read_result res = { 0 };
	struct plan direct, text;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *in;

	if (argc == 4 && !strcmp(argv[1], "--image"))
		return compare_image(argv[2], argv[3]);
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: plan_compare TRACE [SCENARIO] | --image IN IMAGE\n");
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
	return report(argv[1], &direct, &text);
}
