/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The percentiles pcrace's figures report, taken one way everywhere:
 * replay's --timing recorded gaps and the bench's peer (bench/timing_self)
 * must use the same rank to be set against each other.
 */
#ifndef PCRACE_PERCENTILE_H
#define PCRACE_PERCENTILE_H

/*
 * The k-th smallest of d[0..n), d reordered around it: what a sort would
 * put at k.  After it, d[0..k] holds the k + 1 smallest.
 */
double pcrace_kth(double *d, unsigned int n, unsigned int k);
/* The rank of the p99 of n values (n > 0): floor(0.99 n), at most n - 1. */
unsigned int pcrace_p99_index(unsigned int n);

#endif /* PCRACE_PERCENTILE_H */
