/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --stress: each trial perturbs the schedule around the recorded one, as
 * a pure function of the trial's seed (--seed S replays it exactly):
 *  - one worker (the victim) shifted by -delta..+delta on the recorded
 *    timeline (a negative shift delays every other worker instead);
 *  - a random delay of up to delta/4 before every op;
 *  - PCT-style priorities: every worker starts at a random nice level and
 *    drops to the lowest at STRESS_CHANGES random change points;
 *  - io_uring ops inline or forced to io-wq (IOSQE_ASYNC);
 *  - workers unpinned, all on one CPU, or spread over the CPUs.
 */
#ifndef PCRACE_STRESS_H
#define PCRACE_STRESS_H

#include <stddef.h>
#include "worker.h"

#define STRESS_CHANGES	3

/* Fill o's stress fields from o->seed; cpus and nice: one per thread. */
void stress_trial(const struct plan *p, struct trial_opts *o,
		  unsigned int delta_us, cpu_set_t *cpus, int *nice);
/* The trial's schedule in one line, for reports. */
void stress_describe(const struct plan *p, const struct trial_opts *o,
		     char *buf, size_t len);

#endif /* PCRACE_STRESS_H */
