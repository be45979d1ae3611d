// SPDX-License-Identifier: GPL-2.0
/* Schedule perturbation for --stress (see stress.h). */
#include <stdio.h>
#include <string.h>
#include "pcrace_rand.h"
#include "placement.h"
#include "stress.h"

void stress_trial(const struct plan *p, struct trial_opts *o,
		  unsigned int delta_us, cpu_set_t *cpus, int *nice)
{
	__u64 r = pcrace_mix64(o->seed + 1);
	unsigned int t, k;
	int pinned;

	o->victim = r % p->nthreads;
	r = pcrace_mix64(r);
	o->shift_us = (long)(r % (2ull * delta_us + 1)) - (long)delta_us;
	o->jitter_us = delta_us / 4;
	r = pcrace_mix64(r);
	o->uring_async = r & 1;
	o->placement = placement_fill(!(r & 2) ? PLACE_ANY :
				      (r & 4) ? PLACE_ONE : PLACE_SPREAD, NULL,
				      p->nthreads, cpus, &pinned);
	o->cpus = pinned ? cpus : NULL;
	for (t = 0; t < p->nthreads; t++) {
		r = pcrace_mix64(r);
		nice[t] = r % 10;
	}
	o->nice = nice;
	for (k = 0; k < STRESS_CHANGES; k++) {
		r = pcrace_mix64(r);
		o->change_at[k] = r % p->nops;
	}
	/* the shift needs the recorded timeline to shift */
	o->timing = TIMING_RECORDED;
	if (o->order == ORDER_RECORDED)
		o->order = ORDER_NONE;
	else if (o->order == ORDER_STARTS)	/* and keeps no happens-before */
		o->order = ORDER_FREE;
}

void stress_describe(const struct plan *p, const struct trial_opts *o,
		     char *buf, size_t len)
{
	const char *order = order_name(o->order);
	unsigned int k, first = 0;
	int n;

	if (!o->stress) {
		n = snprintf(buf, len, "order %s, timing %s%s%s", order,
			     o->timing == TIMING_RECORDED ? "recorded" : "asap",
			     o->cpus ? ", " : "", o->cpus ? o->placement : "");
	} else {
		n = snprintf(buf, len, "order %s, %s shifted %+ld us, jitter <= %u us, %s, %s, priority drops at ops",
			     order, p->threads[o->victim].name, o->shift_us, o->jitter_us,
			     o->uring_async ? "io-wq submission" : "inline submission",
			     o->placement);
		for (k = 0; k < STRESS_CHANGES && n > 0 && (size_t)n < len; k++)
			n += snprintf(buf + n, len - n, " %u", p->ops[o->change_at[k]].seq);
	}
	/* --collide: the pairs drawn to meet (how many met is in the verdict) */
	for (k = 0; k < o->nmeet; k++)
		first += o->meet_pick[k].first_touch;
	if (o->nmeet && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, ", %u pairs drawn to collide (%u first touches)",
			      o->nmeet, first);
}
