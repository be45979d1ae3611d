/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the workers run: anywhere (the scheduler's choice), all on one
 * CPU, or spread over the CPUs this process may use, worker t on the
 * t-th of them (round robin).  Spread puts two threads' consecutive ops
 * on two CPUs: the race a page-cache bug needs happens between CPUs, and
 * in --order recorded the next op's worker then waits on its own CPU
 * while the op before it runs (gate.h).  Left to itself the scheduler
 * often stacks the workers of a serial handoff on one CPU.
 */
#ifndef PCRACE_PLACEMENT_H
#define PCRACE_PLACEMENT_H

#include <sched.h>

enum placement { PLACE_ANY, PLACE_ONE, PLACE_SPREAD, PLACE_LIST };

/*
 * --cpus LIST: thread t on CPU list[t % n], by the CPUs' own numbers,
 * for a trace whose threads' roles decide which of them may share a CPU
 * (seed 7: its reader beside the reclaimer reproduced in 8 of 20 runs,
 * beside the flusher, where spread puts it, in 59 of 60).
 */
#define PLACEMENT_LIST_MAX	64
struct placement_list {
	unsigned int n;
	int cpu[PLACEMENT_LIST_MAX];
};

/* --cpus any|one|spread|LIST; -1 if it is none of them. */
int placement_parse(const char *arg, enum placement *pl,
		    struct placement_list *list);
/* The first CPU of list that this process may not use, or -1. */
int placement_list_check(const struct placement_list *list);
/*
 * Fill cpus[0..nthreads) for pl (nothing for PLACE_ANY, or where this
 * process may use only one CPU); returns the placement in words, and
 * whether cpus was filled in *pinned.  list is PLACE_LIST's.
 */
const char *placement_fill(enum placement pl, const struct placement_list *list,
			   unsigned int nthreads, cpu_set_t *cpus, int *pinned);

struct plan;
struct trial_opts;

/*
 * --cpus spread with --collide: move threads between the CPUs spread
 * uses so that the two threads of each pair drawn for the trial
 * (o->meet_pick) run on different CPUs where the pairs allow it.  Partners on one CPU are released together but run one
 * after the other, and spread by thread index puts every two threads of
 * the same parity together.  Greedy: each thread in turn moves to the
 * CPU with the fewest of its partners, until no move helps.  Returns how
 * many pairs are now apart.
 */
unsigned int placement_apart(const struct plan *p, const struct trial_opts *o,
			     cpu_set_t *cpus);

#endif /* PCRACE_PLACEMENT_H */
