// SPDX-License-Identifier: GPL-2.0
/* The region shared by the supervisor and the workers (see shared.h). */
#include <string.h>
#include <sys/mman.h>
#include "shadow.h"
#include "shared.h"

_Static_assert(sizeof(struct thread_state) == 64, "a thread's state fills one line");

static size_t align(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

struct replay_shared *shared_create(const struct plan *p)
{
	size_t head = align(sizeof(struct replay_shared));
	size_t threads = align(p->nthreads * sizeof(struct thread_state));
	size_t ops = align(p->nops * sizeof(struct op_state));
	size_t size = head + threads + ops + shadow_bytes(p);
	struct replay_shared *s;
	char *base;

	/* mapped at once, not a fault a page (slow under TCG) */
	base = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	s = (struct replay_shared *)base;
	s->size = size;
	s->threads = (struct thread_state *)(base + head);
	s->ops = (struct op_state *)(base + head + threads);
	s->shadow = shadow_init(base + head + threads + ops, p);
	return s;			/* trial_run() resets it before each trial */
}

/* Before each trial: gates closed, nobody busy, no findings. */
void shared_reset(struct replay_shared *s, const struct plan *p)
{
	unsigned int t;

	atomic_store(&s->started, 0);
	atomic_store(&s->epoch, 0);
	atomic_store(&s->nwaiting, 0);
	atomic_store(&s->stop, 0);
	atomic_store(&s->nmismatches, 0);
	atomic_store(&s->reads_checked, 0);
	atomic_store(&s->reads_skipped, 0);
	atomic_store(&s->bytes_checked, 0);
	atomic_store(&s->result_diffs, 0);
	atomic_store(&s->first_diff, 0);
	atomic_store(&s->not_replayable, 0);
	atomic_store(&s->meets_met, 0);
	atomic_store(&s->meets_missed, 0);
	atomic_store(&s->meets_first, 0);
	for (t = 0; t < MEET_SLOTS; t++)
		atomic_store(&s->meet[t], 0);
	for (t = 0; t < p->nthreads; t++) {
		atomic_store(&s->threads[t].done, 0);
		atomic_store(&s->threads[t].cur, PLAN_NONE);
		atomic_store(&s->threads[t].cur_start_ns, 0);
		atomic_store(&s->threads[t].tid, 0);
	}
	/*
	 * The mapping starts zeroed: the first trial does without the
	 * memset, a rep stosb under TCG that costs a byte a step (seed 7's
	 * 1.6 MB of op states, before its first op).
	 */
	if (s->ops_used)
		memset(s->ops, 0, p->nops * sizeof(*s->ops));
	s->ops_used = true;
}

void shared_add_mismatch(struct replay_shared *s, const struct mismatch *m)
{
	__u32 n = atomic_fetch_add(&s->nmismatches, 1);

	if (n < MAX_MISMATCHES)
		s->mismatches[n] = *m;
}

void shared_destroy(struct replay_shared *s)
{
	if (s)
		munmap(s, s->size);
}
