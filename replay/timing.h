/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --timing recorded's fidelity: how far the gaps between consecutive op
 * starts came out from the recorded ones, in all and op by op.
 */
#ifndef PCRACE_REPLAY_TIMING_H
#define PCRACE_REPLAY_TIMING_H

#include <stdbool.h>
#include <stdio.h>
#include "plan.h"
#include "shared.h"

/*
 * |replayed - recorded| gaps between consecutive op starts, in us, of the
 * last trial: all of them, and apart those before an op held past its
 * time by an op it must wait for, which ran longer than recorded
 * (worker.c's note_held(); only under --timing recorded).
 */
struct gap_stats {
	unsigned int gaps, held;
	unsigned int held_by_dep;	/* of held: by another thread's op */
	double p50, p99;
	double p99_unheld;	/* of the gaps not held */
};

void timing_gap_stats(const struct plan *p, const struct op_state *os,
		      double scale, struct gap_stats *g);

/*
 * Write the last trial's ops to f, one line each in plan order, and
 * close f: when each started and how long it ran, recorded (scaled) and
 * replayed, the gap to the op before and its error, and what held it
 * (its thread's op or another thread's, and which, by its seq).
 * Which ops ran longer here than on the recording is what a p99 over
 * 50 us needs explained.  false (and errno) if the writes failed.
 */
bool timing_write(FILE *f, const struct plan *p, const struct op_state *os,
		  double scale);

#endif /* PCRACE_REPLAY_TIMING_H */
