// SPDX-License-Identifier: GPL-2.0
/* Worker placement over the CPUs (see placement.h). */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "worker.h"
#include "placement.h"

/* "0,0,1": at least one CPU number, the threads' round robin. */
static int parse_list(const char *arg, struct placement_list *list)
{
	const char *at = arg;
	char *end;
	long cpu;

	list->n = 0;
	do {
		if (*at < '0' || *at > '9' || list->n == PLACEMENT_LIST_MAX)
			return -1;
		cpu = strtol(at, &end, 10);
		if (cpu >= CPU_SETSIZE || (*end && *end != ','))
			return -1;
		list->cpu[list->n++] = cpu;
		at = end + 1;
	} while (*end);
	return 0;
}

int placement_parse(const char *arg, enum placement *pl,
		    struct placement_list *list)
{
	if (!strcmp(arg, "any"))
		*pl = PLACE_ANY;
	else if (!strcmp(arg, "one"))
		*pl = PLACE_ONE;
	else if (!strcmp(arg, "spread"))
		*pl = PLACE_SPREAD;
	else if (!parse_list(arg, list))
		*pl = PLACE_LIST;
	else
		return -1;
	return 0;
}

int placement_list_check(const struct placement_list *list)
{
	cpu_set_t set;
	unsigned int i;

	if (sched_getaffinity(0, sizeof(set), &set))
		return list->n ? list->cpu[0] : -1;
	for (i = 0; i < list->n; i++)
		if (!CPU_ISSET(list->cpu[i], &set))
			return list->cpu[i];
	return -1;
}

const char *placement_fill(enum placement pl, const struct placement_list *list,
			   unsigned int nthreads, cpu_set_t *cpus, int *pinned)
{
	int allowed[CPU_SETSIZE], n = 0, cpu;
	unsigned int t;
	cpu_set_t set;

	*pinned = 0;
	if (pl == PLACE_LIST) {
		for (t = 0; t < nthreads; t++) {
			CPU_ZERO(&cpus[t]);
			CPU_SET(list->cpu[t % list->n], &cpus[t]);
		}
		*pinned = 1;
		return "on the CPUs listed";
	}
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

/* The first CPU of a one-CPU set. */
static int cpu_of(const cpu_set_t *set)
{
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set))
			return cpu;
	return 0;
}

/* How many of thread t's partners in pairs (a[k], b[k]) run on cpu. */
static unsigned int partners_on(const unsigned int *a, const unsigned int *b,
				unsigned int npairs, const int *on, unsigned int t,
				int cpu)
{
	unsigned int k, n = 0;

	for (k = 0; k < npairs; k++)
		if ((a[k] == t && on[b[k]] == cpu) || (b[k] == t && on[a[k]] == cpu))
			n++;
	return n;
}

unsigned int placement_apart(const struct plan *p, const struct trial_opts *o,
			     cpu_set_t *cpus)
{
	unsigned int a[MEET_SLOTS], b[MEET_SLOTS], npairs = 0;
	unsigned int i, t, k, apart = 0, moved, best_n, n;
	int used[CPU_SETSIZE], nused = 0, *on, best, u, pass;

	on = calloc(p->nthreads, sizeof(*on));
	if (!on)
		return 0;
	for (t = 0; t < p->nthreads; t++) {
		on[t] = cpu_of(&cpus[t]);
		for (u = 0; u < nused && used[u] != on[t]; u++)
			;
		if (u == nused)
			used[nused++] = on[t];
	}
	for (i = 0; i < o->nmeet && i < MEET_SLOTS; i++) {
		a[npairs] = p->ops[o->meet_pick[i].first].thread;
		b[npairs] = p->ops[o->meet_pick[i].second].thread;
		if (a[npairs] != b[npairs])
			npairs++;
	}
	/* greedy: each thread to the CPU fewest of its partners are on */
	for (pass = 0, moved = 1; moved && pass < 8; pass++) {
		moved = 0;
		for (t = 0; t < p->nthreads; t++) {
			best = on[t];
			best_n = partners_on(a, b, npairs, on, t, on[t]);
			for (u = 0; u < nused && best_n; u++) {
				n = partners_on(a, b, npairs, on, t, used[u]);
				if (n < best_n) {
					best = used[u];
					best_n = n;
				}
			}
			if (best != on[t]) {
				on[t] = best;
				CPU_ZERO(&cpus[t]);
				CPU_SET(best, &cpus[t]);
				moved = 1;
			}
		}
	}
	for (k = 0; k < npairs; k++)
		apart += on[a[k]] != on[b[k]];
	free(on);
	return apart;
}
