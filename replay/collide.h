/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --collide N: make recorded near-coincidences happen at once.  A trace
 * shows where two threads touched the same bytes of a file within a short
 * time of each other (two udev probes reading a disk's first pages, a
 * buffered read beside an O_DIRECT write): the moments a page-cache race
 * needs.  Each trial picks N such pairs (from its seed) and holds the
 * first of each pair to arrive until its partner does, so both are issued
 * together, however the replay's timing drifted from the recording.  If
 * the first had ended before the second began, that recorded order is
 * lifted for the pair (and pairs it would deadlock are not candidates).
 * A page's first touches by two threads are candidates at any distance,
 * and half of each trial's pairs: they race to create its page or DAX
 * entry.  A truncate or hole punch pairs with a read of what it removes.  When
 * both are reads, the range is dropped from the page cache first, so the
 * two meet on a miss: both try to insert the same pages.  In the order of
 * starts (--order recorded or starts) the ordering gates already start
 * the second op as the first is issued: there only the drop is added.
 */
#ifndef PCRACE_COLLIDE_H
#define PCRACE_COLLIDE_H

#include <stddef.h>
#include "worker.h"

#define COLLIDE_MAX		MEET_SLOTS	/* pairs per trial */
#define COLLIDE_WINDOW_US	2000	/* recorded starts this close (default) */
#define COLLIDE_WAIT_MS		100	/* how long one waits for the other */

struct collide;

/*
 * The plan's candidate pairs, only those with an op of one of the kinds
 * in the mask (1 << PK_*) unless it is 0; NULL if out of memory.
 */
struct collide *collide_prepare(const struct plan *p, enum replay_order order,
				unsigned int window_us, unsigned int kinds);
unsigned int collide_candidates(const struct collide *c);
/* How many of them are first touches (half of every trial's pairs) */
unsigned int collide_first_touches(const struct collide *c);
/* Choose up to n pairs for the trial from o->seed into o->meet. */
void collide_trial(const struct collide *c, const struct plan *p,
		   struct trial_opts *o, unsigned int n);
/* Before op i is issued: meet its partner, if it has one this trial. */
void collide_meet(struct worker *w, unsigned int i);
void collide_free(struct collide *c);

#endif /* PCRACE_COLLIDE_H */
