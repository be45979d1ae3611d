// SPDX-License-Identifier: GPL-2.0
/*
 * plan_deps SCENARIO: the completion waits replay's plan gives each op
 * (replay/plan_parse.c's compute_deps()), one line per op:
 * "SEQ THREAD: T<u>#<n> ..." (waits for thread u's first n ops to end),
 * "-" for none.  Exit 2 if the scenario does not load.
 */
#include <stdio.h>
#include "pcrace_ops.h"
#include "../replay/plan.h"

int main(int argc, char **argv)
{
	struct plan p;
	char err[1024];
	unsigned int i, d;

	if (argc != 2) {
		fprintf(stderr, "usage: plan_deps SCENARIO\n");
		return 2;
	}
	if (plan_load(&p, argv[1], NULL, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (i = 0; i < p.nops; i++) {
		const struct plan_op *op = &p.ops[i];

		printf("%u %s:", op->seq, p.threads[op->thread].name);
		if (!op->ndeps)
			printf(" -");
		for (d = op->dep; d < op->dep + op->ndeps; d++)
			printf(" %s#%u", p.threads[p.deps[d].thread].name,
			       p.deps[d].count);
		putchar('\n');
	}
	plan_free(&p);
	return 0;
}
