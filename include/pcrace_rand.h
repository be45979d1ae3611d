/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded pseudo-random numbers: replay's stress schedules and pattern
 * keys, and bisect's simulations, must be pure functions of their seeds.
 */
#ifndef PCRACE_RAND_H
#define PCRACE_RAND_H

#include <linux/types.h>

/* splitmix64: the next number of the stream in *state. */
static inline __u64 pcrace_splitmix64(__u64 *state)
{
	__u64 z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* MurmurHash3's 64-bit finaliser: one number well mixed from another. */
static inline __u64 pcrace_mix64(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

#endif /* PCRACE_RAND_H */
