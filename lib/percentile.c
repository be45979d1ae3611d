// SPDX-License-Identifier: GPL-2.0
/* Percentiles; see pcrace_percentile.h. */
#include <stddef.h>
#include "pcrace_percentile.h"

/*
 * Hoare's selection, not a sort: qsort of seed 7's 41,698 gaps was 16M
 * of the supervisor's 38M instructions on the host, after the trial and
 * before its exit.
 */
double pcrace_kth(double *d, unsigned int n, unsigned int k)
{
	long lo = 0, hi = (long)n - 1, i, j;
	double pivot, x;

	while (lo < hi) {
		pivot = d[lo + (hi - lo) / 2];
		i = lo;
		j = hi;
		while (i <= j) {
			while (d[i] < pivot)
				i++;
			while (d[j] > pivot)
				j--;
			if (i <= j) {
				x = d[i];
				d[i++] = d[j];
				d[j--] = x;
			}
		}
		/* d[lo..j] <= pivot <= d[i..hi], and between them == pivot */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return d[k];
}

unsigned int pcrace_p99_index(unsigned int n)
{
	return (size_t)(n * 0.99) < n ? (size_t)(n * 0.99) : n - 1;
}
