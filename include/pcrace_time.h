/* SPDX-License-Identifier: GPL-2.0 */
/* The recorder's clock: CLOCK_MONOTONIC, as bpf_ktime_get_ns() reads it. */
#ifndef PCRACE_TIME_H
#define PCRACE_TIME_H

#include <time.h>

static inline unsigned long long pcrace_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

#endif /* PCRACE_TIME_H */
