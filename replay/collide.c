// SPDX-License-Identifier: GPL-2.0
/* --collide: recorded near-coincidences, made to happen at once (collide.h). */
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include "collide.h"
#include "engine.h"
#include "pcrace_rand.h"
#include "pcrace_time.h"
#include "target.h"

#define CANDIDATES_MAX	65536
#define FIRST_UNITS_MAX	256		/* units of one op looked at */
#define FIRST_RECORDS_MAX (4u << 20)

struct collide_pair {
	unsigned int a, b;		/* ops, a recorded first */
};

/* What data_range() says of an op, worked out once per op. */
struct op_range {
	__u64 off, len;
	bool has, reads;
	bool dax;			/* its file is on DAX: units are PMDs */
};

/* pairs[0..nfirst) are first touches, half of each trial's draw (collide_trial) */
struct collide {
	struct collide_pair *pairs;
	unsigned int npairs, nfirst;
	struct op_range *range;		/* of each op of the plan */
};

#define PMD_BYTES	(2ull << 20)

/*
 * The bytes of its file an op reads or writes (a truncate or hole punch
 * removes them: it races a reader that holds their pages); false if none.
 */
static bool data_range(const struct plan *p, const struct plan_op *op,
		       bool dax, __u64 *off, __u64 *len, bool *reads)
{
	if (op->file == PLAN_NONE || p->files[op->file].pseudo ||
	    op->buf_map != PLAN_NONE)
		return false;
	*reads = false;
	switch (op->kind) {
	case PK_FTRUNCATE:
		*off = op->len;
		*len = ~0ull - op->len;
		return true;
	case PK_FALLOCATE:
		*off = op->off;
		*len = op->len;
		return op->len &&
		       (op->flags & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE));
	case PK_READ:
	case PK_WRITE:
		*off = op->off;
		*len = op->len;
		*reads = op->kind == PK_READ;
		return op->len > 0;
	case PK_TOUCH:
		*off = touch_off(p, op);
		*len = 4096;
		*reads = !touch_stores(p, op);
		/*
		 * On DAX a fault locks the mapping's entry, which is a whole
		 * PMD (2 MiB) for a PMD fault: faults anywhere in one PMD's
		 * range race each other there (seed 6).
		 */
		if (dax) {
			*off &= ~(PMD_BYTES - 1);
			*len = PMD_BYTES;
		}
		return true;
	default:
		return false;
	}
}

/*
 * Every op's range, once: the window's scan looks at each op once per op
 * recorded up to a window before it, and target_opts_dax() is a strstr()
 * of mount options (68% of seed 6's collide_prepare() when done per look).
 */
static struct op_range *op_ranges(const struct plan *p)
{
	struct op_range *r = calloc(p->nops ? p->nops : 1, sizeof(*r));
	bool *dax = calloc(p->nfiles ? p->nfiles : 1, sizeof(*dax));
	unsigned int i;

	for (i = 0; r && dax && i < p->nfiles; i++)
		dax[i] = target_opts_dax(p->files[i].opts);
	for (i = 0; r && dax && i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];

		r[i].dax = op->file != PLAN_NONE && dax[op->file];
		r[i].has = data_range(p, op, r[i].dax, &r[i].off, &r[i].len,
				      &r[i].reads);
	}
	if (!dax) {
		free(r);
		r = NULL;
	}
	free(dax);
	return r;
}

/*
 * Can b be issued before a completes?  Replay keeps the recorded
 * happens-before (compute_deps(): an op waits for every op of another
 * thread that ended before it began).  For b, the wait on a's thread is
 * lifted up to a (worker.c); what else b or its thread's previous op
 * waits for must not come after a, or the two would wait on each other.
 * An op that began before a ended cannot have waited for a.
 */
static bool can_meet(const struct plan *p, enum replay_order order,
		     unsigned int a, unsigned int b)
{
	const struct plan_op *oa = &p->ops[a], *ob = &p->ops[b];
	__u64 a_end = oa->usec + oa->dur;
	unsigned int d;

	if (!p->have_durations || a_end > ob->usec)
		return true;	/* they overlapped: no wait between them */
	/* without the happens-before only after= points bind: b's own */
	if (order_keeps_hb(order) && ob->nth &&
	    p->ops[plan_nth_op(p, ob->thread, ob->nth)].usec >= a_end)
		return false;
	for (d = order_first_dep(order, ob); d < ob->dep + ob->ndeps; d++) {
		const struct plan_dep *dep = &p->deps[d];

		if (dep->thread != oa->thread &&
		    p->ops[plan_nth_op(p, dep->thread, dep->count)].usec >= a_end)
			return false;
	}
	return true;
}

static bool add_pair(struct collide *c, unsigned int *cap, unsigned int a,
		     unsigned int b)
{
	if (c->npairs == *cap) {
		struct collide_pair *n;

		*cap = *cap ? 2 * *cap : 256;
		n = realloc(c->pairs, *cap * sizeof(*n));
		if (!n)
			return false;
		c->pairs = n;
	}
	c->pairs[c->npairs++] = (struct collide_pair){ a, b };
	return true;
}

/* --collide-ops: is one of the two ops of a kind asked for? */
static bool kinds_ok(const struct plan *p, unsigned int kinds, unsigned int a,
		     unsigned int b)
{
	return !kinds ||
	       (kinds & (1u << p->ops[a].kind | 1u << p->ops[b].kind));
}

/* After op, its file's pages (or every file's) are out of the cache. */
static bool drops_cache(const struct plan_op *op)
{
	switch (op->kind) {
	case PK_OPEN:
		return op->flags & O_TRUNC;
	case PK_FTRUNCATE:
		return true;
	case PK_FALLOCATE:
		return op->flags & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE |
				    FALLOC_FL_COLLAPSE_RANGE |
				    FALLOC_FL_INSERT_RANGE);
	case PK_FADVISE:
		return op->flags == POSIX_FADV_DONTNEED;
	case PK_IOCTL:
		return op->flags == BLKFLSBUF || op->flags == BLKRRPART;
	case PK_DROP_CACHES:
		return true;
	default:
		return false;
	}
}

/*
 * A unit (page, or PMD on DAX) of a file in one lifetime of its cache,
 * and the first ops to touch it: a slot of an open-addressing hash table.
 * Ops come in plan order, so the first op seen is the first recorded.
 * (Sorting a record per touch instead took 176M of the 190M instructions
 * of seed 3's collide_prepare(): 0.6 s of every run under TCG.)
 */
struct unit_first {
	__u64 file_epoch;		/* file << 32 | its drops so far */
	__u64 unit;
	unsigned int first;		/* its first op; PLAN_NONE: slot free */
	unsigned int other;		/* the first of another thread's, or PLAN_NONE */
};

struct unit_table {
	struct unit_first *slot;
	size_t mask, used;
};

static struct unit_first *unit_slot(const struct unit_table *t, __u64 fe,
				    __u64 unit)
{
	size_t h = pcrace_mix64(fe * 0x9e3779b97f4a7c15ull ^ unit) & t->mask;

	while (t->slot[h].first != PLAN_NONE &&
	       (t->slot[h].file_epoch != fe || t->slot[h].unit != unit))
		h = (h + 1) & t->mask;
	return &t->slot[h];
}

/* Double the table (or make its first 4,096 slots), kept at most half full. */
static bool unit_grow(struct unit_table *t)
{
	size_t n = t->slot ? 2 * (t->mask + 1) : 4096, i;
	struct unit_table g = { .mask = n - 1, .used = t->used };

	g.slot = malloc(n * sizeof(*g.slot));
	if (!g.slot)
		return false;
	memset(g.slot, 0xff, n * sizeof(*g.slot));	/* first = PLAN_NONE */
	for (i = 0; t->slot && i <= t->mask; i++)
		if (t->slot[i].first != PLAN_NONE)
			*unit_slot(&g, t->slot[i].file_epoch, t->slot[i].unit) =
				t->slot[i];
	free(t->slot);
	*t = g;
	return true;
}

static int by_ops(const void *x, const void *y)
{
	const struct collide_pair *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/*
 * First touches: for each page (each PMD on DAX) of a file, the first op
 * of each of two threads to access it since the file was created or
 * dropped from the cache.  One of them creates the page-cache page or
 * DAX entry that the other finds, and that creation is a race with one
 * chance per lifetime of the file, however far apart the two were
 * recorded (seed 6: a PTE fault's new entry against a PMD fault, 60 ms
 * apart in the trace; seed 1: two probes reading a flushed disk).
 */
static bool first_touches(const struct plan *p, struct collide *c,
			  unsigned int *cap, enum replay_order order,
			  unsigned int kinds)
{
	__u32 *drops = calloc(p->nfiles, sizeof(*drops));
	struct unit_table t = { 0 };
	struct unit_first *e;
	size_t touches = 0, i, j;
	unsigned int f, shift;
	__u64 first, last, fe;
	bool ok = drops;

	for (i = 0; ok && i < p->nops && touches < FIRST_RECORDS_MAX; i++) {
		const struct plan_op *op = &p->ops[i];

		if (drops_cache(op)) {
			for (f = 0; f < p->nfiles; f++)
				if (op->kind == PK_DROP_CACHES || f == op->file)
					drops[f]++;
			continue;
		}
		if (!c->range[i].has)
			continue;
		shift = c->range[i].dax ? 21 : 12;
		first = c->range[i].off >> shift;
		last = (c->range[i].off + c->range[i].len - 1) >> shift;
		if (last - first >= FIRST_UNITS_MAX)
			last = first + FIRST_UNITS_MAX - 1;
		fe = (__u64)op->file << 32 | drops[op->file];
		for (; first <= last; first++, touches++) {
			if (2 * (t.used + 1) > t.mask + 1) {
				ok = unit_grow(&t);
				if (!ok)
					break;
			}
			e = unit_slot(&t, fe, first);
			if (e->first == PLAN_NONE) {
				*e = (struct unit_first){ fe, first, i, PLAN_NONE };
				t.used++;
			} else if (e->other == PLAN_NONE &&
				   p->ops[e->first].thread != op->thread) {
				e->other = i;
			}
		}
	}
	for (i = 0; ok && t.slot && i <= t.mask; i++) {
		e = &t.slot[i];
		if (e->first != PLAN_NONE && e->other != PLAN_NONE &&
		    kinds_ok(p, kinds, e->first, e->other) &&
		    can_meet(p, order, e->first, e->other))
			ok = add_pair(c, cap, e->first, e->other);
	}
	free(t.slot);
	free(drops);
	if (!ok || !c->npairs)
		return ok;
	qsort(c->pairs, c->npairs, sizeof(*c->pairs), by_ops);
	for (i = j = 1; i < c->npairs; i++)
		if (by_ops(&c->pairs[i], &c->pairs[j - 1]))
			c->pairs[j++] = c->pairs[i];
	c->npairs = j;
	c->nfirst = j;
	return true;
}

/* Is (a, b) among the first touches already (they are sorted)? */
static bool is_first_touch(const struct collide *c, unsigned int a,
			   unsigned int b)
{
	struct collide_pair key = { a, b };

	return c->nfirst && bsearch(&key, c->pairs, c->nfirst,
				    sizeof(key), by_ops);
}

/*
 * First touches, then pairs of ops of two threads on overlapping bytes of
 * one file, at least one a read (a page-cache miss to race), recorded to
 * start within the window of each other.  Plan order is recorded start
 * order.
 */
struct collide *collide_prepare(const struct plan *p, enum replay_order order,
				unsigned int window_us, unsigned int kinds)
{
	struct collide *c = calloc(1, sizeof(*c));
	unsigned int i, j, cap = 0;
	const struct op_range *ra, *rb;
	bool ok = c && (c->range = op_ranges(p));

	ok = ok && first_touches(p, c, &cap, order, kinds);
	for (i = 0; ok && i < p->nops && c->npairs < CANDIDATES_MAX; i++) {
		const struct plan_op *a = &p->ops[i];

		ra = &c->range[i];
		if (!ra->has)
			continue;
		for (j = i + 1; ok && j < p->nops; j++) {
			const struct plan_op *b = &p->ops[j];

			rb = &c->range[j];
			if (b->usec > a->usec + window_us ||
			    c->npairs == CANDIDATES_MAX)
				break;
			if (b->thread == a->thread || b->file != a->file ||
			    !rb->has || !(ra->reads || rb->reads) ||
			    rb->off >= ra->off + ra->len ||
			    ra->off >= rb->off + rb->len ||
			    !kinds_ok(p, kinds, i, j) || is_first_touch(c, i, j) ||
			    !can_meet(p, order, i, j))
				continue;
			ok = add_pair(c, &cap, i, j);
		}
	}
	if (!ok) {
		collide_free(c);
		return NULL;
	}
	return c;
}

unsigned int collide_candidates(const struct collide *c)
{
	return c ? c->npairs : 0;
}

unsigned int collide_first_touches(const struct collide *c)
{
	return c ? c->nfirst : 0;
}

/* Draw pairs of c->pairs[from, to) into the trial until it has n. */
static void draw(const struct collide *c, const struct plan *p,
		 struct trial_opts *o, unsigned int n, unsigned int from,
		 unsigned int to, __u64 *r)
{
	unsigned int tries;

	/* an op meets one partner at most: draw again on a clash */
	for (tries = 0; to > from && o->nmeet < n && tries < 8 * n; tries++) {
		const struct collide_pair *cp;
		struct meet_pick *m = &o->meet_pick[o->nmeet];
		const struct op_range *ra, *rb;

		*r = pcrace_mix64(*r);
		cp = &c->pairs[from + *r % (to - from)];
		if (o->meet[cp->a] != PLAN_NONE || o->meet[cp->b] != PLAN_NONE)
			continue;
		ra = &c->range[cp->a];
		rb = &c->range[cp->b];
		m->file = p->ops[cp->a].file;
		m->first = cp->a;
		m->second = cp->b;
		m->off = ra->off > rb->off ? ra->off : rb->off;
		m->len = (ra->off + ra->len < rb->off + rb->len ?
			  ra->off + ra->len : rb->off + rb->len) - m->off;
		m->cold = ra->reads && rb->reads;
		m->first_touch = cp < c->pairs + c->nfirst;
		o->meet[cp->a] = o->nmeet;
		o->meet[cp->b] = o->nmeet;
		o->nmeet++;
	}
}

void collide_trial(const struct collide *c, const struct plan *p,
		   struct trial_opts *o, unsigned int n)
{
	__u64 r = pcrace_mix64(o->seed ^ 0xc0111de);
	unsigned int k;

	for (k = 0; k < p->nops; k++)
		o->meet[k] = PLAN_NONE;
	o->nmeet = 0;
	if (n > COLLIDE_MAX)
		n = COLLIDE_MAX;
	/*
	 * Half the pairs (rounded up) are first touches, the rest pairs of
	 * the window; a pool too small for its share leaves it to the other.
	 */
	draw(c, p, o, (n + 1) / 2, 0, c->nfirst, &r);
	draw(c, p, o, n, c->nfirst, c->npairs, &r);
	draw(c, p, o, n, 0, c->nfirst, &r);
}

/* Both will read: drop the range so that both miss it. */
static void make_cold(const struct plan *p, const struct meet_pick *m)
{
	int fd = open(p->files[m->file].target, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return;
	posix_fadvise(fd, m->off & ~4095ull, (m->len + (m->off & 4095) + 4095) & ~4095ull,
		      POSIX_FADV_DONTNEED);
	close(fd);
}

/* Slot states: nobody yet, one waiting, partner dropping the range, met, missed. */
enum { MEET_FREE, MEET_WAITING, MEET_PREPARING, MEET_MET, MEET_MISSED };

static void wait_partner(struct worker *w, _Atomic __u32 *slot)
{
	__u64 deadline = pcrace_mono_ns() + COLLIDE_WAIT_MS * 1000000ull;
	struct timespec ts;
	__u32 v, waiting = MEET_WAITING;
	__u64 now;

	while (((v = atomic_load(slot)) == MEET_WAITING || v == MEET_PREPARING) &&
	       !atomic_load(&w->sh->stop)) {
		now = pcrace_mono_ns();
		/* a partner that has arrived is waited for: it is dropping pages */
		if (now >= deadline && v == MEET_WAITING &&
		    atomic_compare_exchange_strong(slot, &waiting, MEET_MISSED)) {
			atomic_fetch_add(&w->sh->meets_missed, 1);
			return;
		}
		waiting = MEET_WAITING;
		if (now >= deadline)
			deadline = now + COLLIDE_WAIT_MS * 1000000ull;
		ts.tv_sec = (deadline - now) / 1000000000ull;
		ts.tv_nsec = (deadline - now) % 1000000000ull;
		syscall(SYS_futex, slot, FUTEX_WAIT, v, &ts, NULL, 0);
	}
}

static void count_met(struct worker *w, const struct meet_pick *m)
{
	atomic_fetch_add(&w->sh->meets_met, 1);
	if (m->first_touch)
		atomic_fetch_add(&w->sh->meets_first, 1);
}

void collide_meet(struct worker *w, unsigned int i)
{
	unsigned int s = w->o->meet ? w->o->meet[i] : PLAN_NONE;
	const struct meet_pick *m;
	__u32 v = MEET_FREE;

	if (s == PLAN_NONE)
		return;
	m = &w->o->meet_pick[s];
	/*
	 * In the order of starts the second op's gate opens when the first is
	 * issued: they start together already, and a wait would only stall
	 * (the first to come, waiting for the other, holds its gate).
	 */
	if (order_keeps_starts(w->o->order)) {
		if (i == m->first) {
			if (m->cold)
				make_cold(w->plan, m);
			count_met(w, m);
		}
		return;
	}
	if (atomic_compare_exchange_strong(&w->sh->meet[s], &v, MEET_WAITING)) {
		wait_partner(w, &w->sh->meet[s]);
		return;
	}
	/* the partner waits (unless it gave up): hold it while dropping */
	if (v != MEET_WAITING ||
	    !atomic_compare_exchange_strong(&w->sh->meet[s], &v, MEET_PREPARING))
		return;
	if (m->cold)
		make_cold(w->plan, m);
	atomic_store(&w->sh->meet[s], MEET_MET);
	syscall(SYS_futex, &w->sh->meet[s], FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	count_met(w, m);
}

void collide_free(struct collide *c)
{
	if (!c)
		return;
	free(c->pairs);
	free(c->range);
	free(c);
}
