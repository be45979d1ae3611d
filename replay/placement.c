// SPDX-License-Identifier: GPL-2.0
/* Worker placement over the CPUs (see placement.h). */
#include <sched.h>
#include <string.h>
#include "placement.h"

int placement_parse(const char *arg, enum placement *pl)
{
	if (!strcmp(arg, "any"))
		*pl = PLACE_ANY;
	else if (!strcmp(arg, "one"))
		*pl = PLACE_ONE;
	else if (!strcmp(arg, "spread"))
		*pl = PLACE_SPREAD;
	else
		return -1;
	return 0;
}

const char *placement_fill(enum placement pl, unsigned int nthreads,
			   cpu_set_t *cpus, int *pinned)
{
	int allowed[CPU_SETSIZE], n = 0, cpu;
	unsigned int t;
	cpu_set_t set;

	*pinned = 0;
	if (pl == PLACE_ANY || sched_getaffinity(0, sizeof(set), &set))
		return "unpinned";
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			allowed[n++] = cpu;
	if (n < 2)
		return "unpinned";
	for (t = 0; t < nthreads; t++) {
		CPU_ZERO(&cpus[t]);
		CPU_SET(allowed[pl == PLACE_ONE ? 0 : t % n], &cpus[t]);
	}
	*pinned = 1;
	return pl == PLACE_ONE ? "all on one CPU" : "spread over the CPUs";
}
