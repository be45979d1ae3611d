// SPDX-License-Identifier: GPL-2.0
/*
 * The worker loop (see worker.h): gates, timing, issue, oracle.  Workers
 * of one recorded process are threads of one replay process, so they
 * share fds and mappings as the recorded threads did.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/falloc.h>
#include "pcrace.h"
#include "pcrace_rand.h"
#include "pcrace_time.h"
#include "collide.h"
#include "engine.h"
#include "gate.h"
#include "shadow.h"
#include "widen.h"

#define K_O_LARGEFILE	00100000
#define fallthrough	__attribute__((__fallthrough__))

static __u64 touch_len(const struct worker *w, const struct plan_op *op)
{
	__u64 off = touch_off(w->plan, op);
	__u64 size = shadow_size(w->sh->shadow, op->file);

	if (off >= size)
		return 0;
	return size - off < 4096 ? size - off : 4096;
}

void worker_issued(struct worker *w)
{
	const struct plan *p = w->plan;
	unsigned int next = w->cur + 1;
	__u32 bits = GATE_ANY;

	if (w->issued)
		return;
	w->issued = true;
	/*
	 * The op's start is its system call's, as the recorder saw it: not
	 * before filling a write's buffer (a 64 MiB pattern takes 7 ms here),
	 * which would make the gap to the next op that much too long.
	 */
	w->sh->ops[w->cur].start_ns = pcrace_mono_ns();
	/* the next op's worker, and the one after it to spin (gate.h) */
	if (next < p->nops) {
		bits = GATE_BIT(p->ops[next].thread);
		if (next + 1 < p->nops)
			bits |= GATE_BIT(p->ops[next + 1].thread);
	}
	gate_open(w->sh, &w->sh->started, next, bits);
}

static int open_flags(const struct plan_op *op)
{
	/*
	 * The recorded flags, so the kernel sees the same open; the file
	 * exists already (set-up made it), so O_EXCL alone would fail.
	 */
	return (op->flags & ~(O_EXCL | K_O_LARGEFILE));
}

static int add_fd(struct proc_ctx *pc, int fd, int recfd, unsigned int file,
		  int flags)
{
	struct replay_fd *r;

	if (pc->nfds == PROC_MAX_FDS) {
		close(fd);
		return -EMFILE;
	}
	r = &pc->fds[pc->nfds++];
	r->fd = fd;
	r->recfd = recfd;
	r->file = file;
	r->flags = flags;
	r->pos = 0;
	r->users = 0;
	r->closing = false;
	return fd;
}

/* The index in pc->fds of the fd an op uses, or -1 if none is open. */
static int find_fd(struct proc_ctx *pc, const struct plan_op *op, bool write)
{
	int i = pc->nfds;

	/* the most recently opened fd of the file, of the op's kind */
	while (i--) {
		const struct replay_fd *r = &pc->fds[i];
		int acc = r->flags & O_ACCMODE;

		if (r->file != op->file || !!(r->flags & O_DIRECT) != op->direct ||
		    r->closing)
			continue;
		if (write ? acc == O_RDONLY : acc == O_WRONLY)
			continue;
		return i;
	}
	return -1;
}

/*
 * Under the process's lock: another thread's open or close moves the
 * entries of pc->fds (a close fills the hole with the last one).
 */
static struct replay_fd *fd_entry(struct proc_ctx *pc, int fd)
{
	unsigned int i;

	for (i = 0; i < pc->nfds; i++)
		if (pc->fds[i].fd == fd)
			return &pc->fds[i];
	return NULL;
}

/*
 * Under the process's lock, before a close of pc->fds[i]: where the
 * order lets another thread's op overlap the close (an op that runs
 * longer here than recorded, or no order at all), that op may hold the
 * fd, its system call running or about to run.  Closing it now would
 * make the op fail with EBADF, or act on another file that got the
 * number.  The close waits for it, in its own thread, as the recording
 * had it; meanwhile no new op takes the fd.  Every engine gives the fd
 * back once its op's system call returns, so the wait is that long.
 * Returns the entry's index, which the wait may have moved.
 */
static unsigned int close_idle(struct proc_ctx *pc, unsigned int i)
{
	struct replay_fd *r = &pc->fds[i];
	int fd = r->fd;

	if (!r->users)
		return i;
	r->closing = true;
	while (r->users) {
		pthread_cond_wait(&pc->idle, &pc->lock);
		r = fd_entry(pc, fd);	/* no one else closes it */
	}
	return r - pc->fds;
}

int worker_fd(struct worker *w, const struct plan_op *op)
{
	struct proc_ctx *pc = w->proc;
	const char *path = w->plan->files[op->file].target;
	bool write = op->kind != PK_READ && op->kind != PK_FADVISE;
	int fd, flags, i;

	pthread_mutex_lock(&pc->lock);
	switch (op->kind) {
	case PK_OPEN:
		flags = open_flags(op);
		worker_issued(w);
		fd = open(path, flags, 0644);
		fd = fd < 0 ? -errno : add_fd(pc, fd, op->fd, op->file, flags);
		break;
	case PK_CLOSE:
		fd = 0;
		for (i = 0; i < (int)pc->nfds; i++) {
			if (pc->fds[i].recfd != op->fd || pc->fds[i].file != op->file ||
			    pc->fds[i].closing)
				continue;
			i = close_idle(pc, i);
			worker_issued(w);
			fd = close(pc->fds[i].fd) ? -errno : 0;
			pc->fds[i] = pc->fds[--pc->nfds];
			break;
		}
		worker_issued(w);
		break;
	default:
		if (op->kind == PK_MMAP)
			write = w->plan->maps[op->map].prot & 2;	/* PROT_WRITE */
		i = find_fd(pc, op, write);
		if (i < 0) {
			flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (op->direct ? O_DIRECT : 0);
			fd = open(path, flags);
			fd = fd < 0 ? -errno : add_fd(pc, fd, -1, op->file, flags);
			if (fd < 0)
				break;
			i = pc->nfds - 1;
		}
		pc->fds[i].users++;
		fd = pc->fds[i].fd;
		w->op_fd = fd;
		break;
	}
	pthread_mutex_unlock(&pc->lock);
	return fd;
}

__s64 worker_fd_pos(struct worker *w, int fd)
{
	struct replay_fd *r;
	__s64 pos;

	pthread_mutex_lock(&w->proc->lock);
	r = fd_entry(w->proc, fd);
	pos = r ? (__s64)r->pos : -1;
	pthread_mutex_unlock(&w->proc->lock);
	return pos;
}

void worker_fd_moved(struct worker *w, int fd, __u64 pos)
{
	struct replay_fd *r;

	pthread_mutex_lock(&w->proc->lock);
	r = fd_entry(w->proc, fd);
	if (r)
		r->pos = pos;
	pthread_mutex_unlock(&w->proc->lock);
}

/* The op that took w->op_fd is done with it: a close may wait for that. */
static void worker_fd_put(struct worker *w)
{
	struct proc_ctx *pc = w->proc;
	struct replay_fd *r;

	if (w->op_fd < 0)
		return;
	pthread_mutex_lock(&pc->lock);
	r = fd_entry(pc, w->op_fd);
	if (r && !--r->users && r->closing)
		pthread_cond_broadcast(&pc->idle);	/* close_idle() */
	pthread_mutex_unlock(&pc->lock);
	w->op_fd = -1;
}

/* sleep to 100 us before: timer wake-ups are late in VMs */
static void sleep_until_near(__u64 ns)
{
	struct timespec ts;

	if (ns > pcrace_mono_ns() + 200000) {
		ts.tv_sec = (ns - 100000) / 1000000000ull;
		ts.tv_nsec = (ns - 100000) % 1000000000ull;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

static void wait_until(__u64 ns)
{
	sleep_until_near(ns);
	while (pcrace_mono_ns() < ns)
		;
}

static __u64 op_time(const struct worker *w, const struct plan_op *op)
{
	const struct trial_opts *o = w->o;
	long shift = 0;
	double t = (double)op->usec * o->scale;

	if (o->stress) {
		/* the victim moves by shift; a negative shift moves the rest */
		if (op->thread == o->victim && o->shift_us > 0)
			shift = o->shift_us;
		else if (op->thread != o->victim && o->shift_us < 0)
			shift = -o->shift_us;
		t += shift;
	}
	return w->t0_ns + (__u64)(t * 1000.0);
}

/*
 * Under --order recorded an op's time counts from the previous op's
 * actual start: a stall (a slow op, a preempted vCPU) then stretches one
 * gap, where the absolute timeline would squeeze every gap after it while
 * the replay caught up.  Never before the absolute time.
 */
static __u64 start_time(const struct worker *w, unsigned int i,
			const struct plan_op *op)
{
	const struct plan_op *prev = i ? &w->plan->ops[i - 1] : NULL;
	__u64 t = op_time(w, op), chained;

	if (!order_keeps_starts(w->o->order) || !prev || op->usec < prev->usec)
		return t;
	chained = w->sh->ops[i - 1].start_ns +
		  (__u64)((double)(op->usec - prev->usec) * w->o->scale * 1000.0);
	return chained > t ? chained : t;
}

/*
 * The start gate opens just before the previous op's system call, so a
 * worker spinning on it could enter the kernel first.  When the previous
 * op is another thread's and still running, give it the recorded gap
 * between the two starts, at most SETTLE_NS, to get there.
 */
#define SETTLE_NS	200000ull

static void settle(struct worker *w, unsigned int i, const struct plan_op *op)
{
	const struct plan_op *prev = i ? &w->plan->ops[i - 1] : NULL;
	const struct op_state *ps = i ? &w->sh->ops[i - 1] : NULL;
	struct thread_state *pt;
	__u64 gap, until;

	if (!prev || prev->thread == op->thread)
		return;
	pt = &w->sh->threads[prev->thread];
	gap = (op->usec - prev->usec) * 1000 * w->o->scale;
	until = ps->start_ns + (gap < SETTLE_NS ? gap : SETTLE_NS);
	while (atomic_load(&pt->done) <= prev->nth && pcrace_mono_ns() < until)
		;
}

const char *order_name(enum replay_order order)
{
	static const char *const names[] = {
		[ORDER_RECORDED] = "recorded", [ORDER_NONE] = "none",
		[ORDER_FREE] = "free", [ORDER_STARTS] = "starts",
	};

	return names[order];
}

/*
 * How many ops of dep's thread op i waits for: the recorded count, but
 * not its --collide partner (collide.c), which is waiting for it.
 */
static __u32 dep_count(const struct worker *w, unsigned int i,
		       const struct plan_dep *dep)
{
	const struct plan *p = w->plan;
	const struct meet_pick *m;

	if (!w->o->meet || w->o->meet[i] == PLAN_NONE)
		return dep->count;
	m = &w->o->meet_pick[w->o->meet[i]];
	if (i != m->second || dep->thread != p->ops[m->first].thread ||
	    dep->count <= p->ops[m->first].nth)
		return dep->count;
	return p->ops[m->first].nth;
}

/*
 * Where the happens-before does not hold, a mapping's lifetime does.  An
 * op on a mapping another thread makes waits for its mmap, for without it
 * the op cannot happen at all (it fails with EINVAL, and a --collide pair
 * of such ops meets for nothing).
 */
static int wait_map(struct worker *w, unsigned int map)
{
	const struct plan *p = w->plan;
	const struct plan_op *mk;

	if (map == PLAN_NONE || p->maps[map].mmap_op == PLAN_NONE)
		return 0;
	mk = &p->ops[p->maps[map].mmap_op];
	if (mk->thread == w->thread)
		return 0;
	return gate_wait(w->sh, &w->sh->threads[mk->thread].done, mk->nth + 1,
			 GATE_ANY, 0);
}

/*
 * Without the happens-before, a munmap waits for the ops of other threads
 * recorded on that mapping before it (an O_DIRECT read into it, seed
 * 7's), or it would pull the mapping from under them.
 */
static int wait_map_users(struct worker *w, unsigned int i, unsigned int map)
{
	const struct plan *p = w->plan;
	bool *seen = calloc(p->nthreads, sizeof(*seen));
	unsigned int j, t;
	int ret = 0;

	if (!seen)
		return 0;
	for (j = i; j-- > 0 && !ret;) {
		const struct plan_op *u = &p->ops[j];

		t = u->thread;
		if (t == w->thread || seen[t] || (u->map != map && u->buf_map != map))
			continue;
		seen[t] = true;
		ret = gate_wait(w->sh, &w->sh->threads[t].done, u->nth + 1,
				GATE_ANY, 0);
	}
	free(seen);
	return ret;
}

/*
 * Whether an op this one waited for (its thread's op before it, or
 * another thread's it depends on) ended after this one's time: that op
 * ran longer here than recorded, and the order, not replay's timing, made
 * the gap before this one late.  Noted in op i's state with the op that
 * held it: --timing recorded's figures (timing_gap_stats()) report those
 * gaps apart from the rest, and --timing-out names the op.
 */
static void note_held(const struct worker *w, unsigned int i,
		      const struct plan_op *op, __u64 due)
{
	const struct plan *p = w->plan;
	struct op_state *os = &w->sh->ops[i];
	unsigned int d, n, j;

	os->held = HELD_NOT;
	if (op->nth) {
		j = plan_nth_op(p, op->thread, op->nth);
		if (w->sh->ops[j].end_ns > due) {
			os->held = HELD_BY_THREAD;
			os->held_op = j;
			return;
		}
	}
	for (d = order_first_dep(w->o->order, op); d < op->dep + op->ndeps; d++) {
		n = dep_count(w, i, &p->deps[d]);
		if (!n)
			continue;
		j = plan_nth_op(p, p->deps[d].thread, n);
		if (w->sh->ops[j].end_ns > due) {
			os->held = HELD_BY_DEP;
			os->held_op = j;
			return;
		}
	}
}

/* Wait for the op's turn.  Returns -1 if the trial was stopped. */
static int wait_turn(struct worker *w, unsigned int i, const struct plan_op *op)
{
	const struct plan *p = w->plan;
	unsigned int d;
	__u64 r, due;

	/*
	 * No op starts before its time: sleeping first leaves the start
	 * gate's spin (gate.h) to cover the last stretch.
	 */
	if (w->o->timing == TIMING_RECORDED)
		sleep_until_near(op_time(w, op));
	if (!order_keeps_hb(w->o->order) &&
	    (wait_map(w, op->map) || wait_map(w, op->buf_map) ||
	     (op->kind == PK_MUNMAP && wait_map_users(w, i, op->map))))
		return -1;
	/* the dependencies first: the start gate's next in line spins */
	for (d = order_first_dep(w->o->order, op); d < op->dep + op->ndeps; d++)
		if (gate_wait(w->sh, &w->sh->threads[p->deps[d].thread].done,
			      dep_count(w, i, &p->deps[d]), GATE_ANY, 0))
			return -1;
	if (order_keeps_starts(w->o->order)) {
		if (gate_wait(w->sh, &w->sh->started, i, GATE_BIT(w->thread),
			      GATE_NEXT_SPIN_NS))
			return -1;
		settle(w, i, op);
	}
	if (w->o->timing == TIMING_RECORDED) {
		due = start_time(w, i, op);
		note_held(w, i, op, due);
		wait_until(due);
	}
	if (w->o->stress && w->o->jitter_us) {
		r = pcrace_splitmix64(&w->rng) % (w->o->jitter_us + 1);
		wait_until(pcrace_mono_ns() + r * 1000);
	}
	return atomic_load(&w->sh->stop) ? -1 : 0;
}

void *worker_buf(struct worker *w, const struct plan_op *op)
{
	char *map;

	if (op->buf_map == PLAN_NONE)
		return w->buf;
	map = w->proc->maps[op->buf_map];
	return map ? map + op->buf_off : NULL;
}

/*
 * A read or write through a mapped buffer changes a file whose bytes
 * replay cannot name: a read writes the mapped file (through GUP), a
 * write copies whatever the mapping holds.  That range becomes unknown.
 */
static unsigned int gup_range(const struct plan *p, const struct plan_op *op,
			      __u64 *off)
{
	const struct plan_map *m = &p->maps[op->buf_map];

	if (op->kind == PK_WRITE) {
		*off = op->off;
		return op->file;
	}
	*off = m->off + op->buf_off;
	return m->file;
}

/* The file whose bytes an in-flight op changes in the shadow model. */
static unsigned int changed_file(const struct plan *p, const struct plan_op *op)
{
	__u64 off;

	return op->buf_map == PLAN_NONE ? op->file : gup_range(p, op, &off);
}

/*
 * Fill the write buffer before, and tell the shadow model after.  True
 * when the op is now in flight in the model (a write, a store, a punch,
 * a truncate).
 */
static bool oracle_before(struct worker *w, const struct plan_op *op)
{
	__u32 tag = w->cur + TAG_OP0;
	__u64 off, len;
	unsigned int file;

	if (op->buf_map != PLAN_NONE) {
		file = gup_range(w->plan, op, &off);
		if (w->o->verify)
			shadow_write_begin(w->sh->shadow, file, w->thread,
					   off, op->len);
		return w->o->verify;
	}
	if (op->kind == PK_FALLOCATE &&
	    (op->flags & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))) {
		/* reads that overlap a punch are not judged on its range */
		if (w->o->verify)
			shadow_write_begin(w->sh->shadow, op->file, w->thread,
					   op->off, op->len);
		return w->o->verify;
	} else if (op->file != PLAN_NONE &&
		   (op->kind == PK_FTRUNCATE ||
		    (op->kind == PK_OPEN && (op->flags & O_TRUNC)))) {
		/*
		 * Bytes past the new size may read as zeros before the
		 * model hears of the truncate (a write past it re-extends
		 * the file over a hole): they are not judged meanwhile.
		 */
		off = op->kind == PK_FTRUNCATE ? op->len : 0;
		if (w->o->verify)
			shadow_write_begin(w->sh->shadow, op->file, w->thread,
					   off, ~0ull - off);
		return w->o->verify;
	} else if (op->kind == PK_WRITE) {
		off = op->off;		/* its buffer is filled (fill_write()) */
		len = op->len;
	} else if (op->kind == PK_TOUCH && touch_stores(w->plan, op)) {
		off = touch_off(w->plan, op);
		len = w->touch_len;
		pattern_fill(w->buf, off, len, tag, w->o->magic);
	} else {
		return false;
	}
	if (w->o->verify && op->kind == PK_TOUCH)
		shadow_store_begin(w->sh->shadow, op->file, w->thread, off, len);
	else if (w->o->verify)
		shadow_write_begin(w->sh->shadow, op->file, w->thread, off, len);
	return w->o->verify;
}

static void oracle_after(struct worker *w, const struct plan_op *op, __s64 ret)
{
	struct shadow *sh = w->sh->shadow;
	const struct op_state *os = &w->sh->ops[w->cur];
	struct mismatch m;
	__u64 checked = 0, off;
	bool store;

	if (!w->o->verify || op->file == PLAN_NONE)
		return;
	if (op->buf_map != PLAN_NONE) {
		unsigned int file = gup_range(w->plan, op, &off);
		__u64 len = op->len, size = shadow_size(sh, file);

		/* a read lands in the mapped file, which a mapping cannot grow */
		if (op->kind == PK_READ)
			len = off >= size ? 0 : size - off < len ? size - off : len;
		shadow_write_end(sh, file, w->thread, off, len, TAG_UNKNOWN,
				 os->start_epoch, os->end_epoch, w->sh->ops);
		if (op->kind == PK_READ)
			atomic_fetch_add(&w->sh->reads_skipped, 1);
		return;
	}
	switch (op->kind) {
	case PK_WRITE:
	case PK_TOUCH:
		store = op->kind == PK_WRITE || touch_stores(w->plan, op);
		off = op->kind == PK_WRITE ? op->off : touch_off(w->plan, op);
		if (store) {
			shadow_write_end(sh, op->file, w->thread, off,
					 ret > 0 ? ret : 0, w->cur + TAG_OP0,
					 os->start_epoch, os->end_epoch, w->sh->ops);
			break;
		}
		fallthrough;	/* a load is a read */
	case PK_READ:
		if (ret <= 0)
			break;
		off = op->kind == PK_READ ? op->off : touch_off(w->plan, op);
		if (!shadow_check(sh, op->file, w->thread, off, w->buf, ret,
				  os->start_epoch, &m, &checked)) {
			m.op = w->cur;
			shared_add_mismatch(w->sh, &m);
		}
		atomic_fetch_add(checked ? &w->sh->reads_checked :
				 &w->sh->reads_skipped, 1);
		atomic_fetch_add(&w->sh->bytes_checked, checked);
		break;
	case PK_FTRUNCATE:	/* a failed one left the model in run_op() */
		shadow_set_size(sh, op->file, w->thread, op->len,
				os->start_epoch, os->end_epoch, w->sh->ops);
		break;
	case PK_OPEN:
		if (op->flags & O_TRUNC)
			shadow_set_size(sh, op->file, w->thread, 0,
					os->start_epoch, os->end_epoch,
					w->sh->ops);
		break;
	case PK_FALLOCATE:
		if (ret)
			break;
		if (op->flags & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE))
			shadow_unknown_from(sh, op->file, op->off,
					    op->flags & FALLOC_FL_COLLAPSE_RANGE ?
					    -(__s64)op->len : (__s64)op->len,
					    os->end_epoch);
		else if (op->flags & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
			shadow_zero(sh, op->file, w->thread, op->off, op->len,
				    !(op->flags & FALLOC_FL_KEEP_SIZE),
				    w->cur + TAG_OP0, os->start_epoch,
				    os->end_epoch, w->sh->ops);
		else if (!(op->flags & FALLOC_FL_KEEP_SIZE) &&
			 op->off + op->len > shadow_size(sh, op->file))
			shadow_set_size(sh, op->file, w->thread,
					op->off + op->len, os->start_epoch,
					os->end_epoch, w->sh->ops);
		break;
	default:
		break;
	}
}

static const struct replay_engine *engine_for(struct worker *w,
					      const struct plan_op *op)
{
	const struct replay_engine *const *e;

	for (e = w->o->engines; *e; e++)
		if ((*e)->carries(w, op))
			return *e;
	return NULL;
}

static bool same_outcome(const struct plan_op *op, __s64 ret)
{
	if (op->kind == PK_OPEN || op->kind == PK_TOUCH)
		return (ret < 0) == (op->ret < 0);	/* fd numbers differ */
	return ret == op->ret;
}

static void run_op(struct worker *w, unsigned int i)
{
	const struct plan_op *op = &w->plan->ops[i];
	struct thread_state *ts = &w->sh->threads[w->thread];
	struct op_state *os = &w->sh->ops[i];
	const struct replay_engine *e = engine_for(w, op);
	unsigned int k;
	bool in_flight;
	__s64 ret;

	w->cur = i;
	w->issued = false;
	if (w->o->nice)
		for (k = 0; k < ARRAY_SIZE(w->o->change_at); k++)
			if (w->o->change_at[k] == i)
				setpriority(PRIO_PROCESS, 0, 19);
	atomic_store(&ts->cur_start_ns, pcrace_mono_ns());
	atomic_store(&ts->cur, i);
	/*
	 * The oracle's epoch is taken before the op can take effect: an
	 * inline io_uring write is done by the time io_uring_submit()
	 * returns, when worker_issued() opens the gate.
	 */
	os->start_epoch = atomic_fetch_add(&w->sh->epoch, 1) + 1;
	if (op->kind == PK_TOUCH)
		w->touch_len = touch_len(w, op);
	in_flight = oracle_before(w, op);
	w->op_fd = -1;
	ret = e ? e->issue(w, op) : -EOPNOTSUPP;
	worker_fd_put(w);
	worker_issued(w);	/* an op that failed before issue still passes */
	os->end_ns = pcrace_mono_ns();
	os->end_epoch = atomic_fetch_add(&w->sh->epoch, 1) + 1;
	os->ret = ret;
	/*
	 * A failed write, store or punch is no longer in flight.  Not so
	 * through a mapped buffer: it may fail partway (the mapping went
	 * away under --order free) after GUP has moved some of the bytes.
	 */
	if (in_flight && ret < 0 && op->buf_map == PLAN_NONE)
		shadow_write_end(w->sh->shadow, changed_file(w->plan, op),
				 w->thread, 0, 0, 0, os->start_epoch,
				 os->end_epoch, w->sh->ops);
	else
		oracle_after(w, op, ret);
	if (op->has_ret && !same_outcome(op, ret) &&
	    w->o->engines[0] != &engine_null) {
		__u32 none = 0;

		atomic_fetch_add(&w->sh->result_diffs, 1);
		/* the first one is named in the trial's note */
		if (atomic_compare_exchange_strong(&w->sh->first_diff, &none, i + 1))
			atomic_store(&w->sh->first_diff_ret, ret);
	}
	atomic_store(&ts->cur, PLAN_NONE);
	atomic_store(&ts->cur_start_ns, 0);
	gate_open(w->sh, &ts->done, op->nth + 1, GATE_ANY);
}

/*
 * A write's pattern goes into the buffer before the op waits for its
 * turn, or the op would start late by the time filling it takes (7 ms
 * for a 64 MiB write here, tests/43's).  A store's length depends on
 * the file's size then, so a touch fills its own in oracle_before().
 *
 * The pattern is what the data oracle checks a write by.  With the
 * oracle off, no one reads it: a write carries what the buffer holds,
 * the pattern filled once at the worker's start (not zeros, which can
 * take other paths in a file system or device) or what a read brought
 * in.  Seed 7 writes 32 MiB in 1 MiB writes a run, which its original
 * workload fills once.
 */
static void fill_write(struct worker *w, unsigned int i,
		       const struct plan_op *op)
{
	if (w->o->verify && op->kind == PK_WRITE && op->buf_map == PLAN_NONE)
		pattern_fill(w->buf, op->off, op->len, i + TAG_OP0,
			     w->o->magic);
}

/*
 * The thread's buffer: its largest read or write, a page for touches.
 * An op whose buffer is a mapping (buf=M<n>) does not use it: seed 7's
 * 16 MiB direct reads into a mapping would have cost every trial a
 * 16 MiB buffer to fault in and clear (4,096 page faults, slow under TCG).
 */
static size_t buffer_size(const struct plan *p, unsigned int thread)
{
	const struct plan_thread *th = &p->threads[thread];
	const struct plan_op *op;
	size_t n = 4096;
	unsigned int k;

	for (k = 0; k < th->nops; k++) {
		op = &p->ops[th->ops[k]];
		if (op->buf_map == PLAN_NONE &&
		    (op->kind == PK_READ || op->kind == PK_WRITE) && op->len > n)
			n = op->len;
	}
	return (n + 4095) & ~4095ul;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	const struct replay_engine *const *e;
	const struct plan *p = w->plan;
	const struct plan_thread *th = &p->threads[w->thread];
	unsigned int i, k;

	atomic_store(&w->sh->threads[w->thread].tid, (pid_t)syscall(SYS_gettid));
	/* the default 50 us timer slack would be the timing error itself */
	prctl(PR_SET_TIMERSLACK, 1);
	widen_enroll_thread(w->o->widen, w->thread);
	/* PCT-style priorities (--stress): who is 0 is the calling thread */
	if (w->o->nice)
		setpriority(PRIO_PROCESS, 0, w->o->nice[w->thread]);
	if (w->o->cpus)
		sched_setaffinity(0, sizeof(cpu_set_t), &w->o->cpus[w->thread]);
	w->buflen = buffer_size(p, w->thread);
	/* zeroed and mapped at once, not a fault a page (seed 7: 1 MiB) */
	w->buf = mmap(NULL, w->buflen, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (w->buf == MAP_FAILED) {
		w->buf = NULL;
		atomic_store(&w->sh->stop, 1);
		return NULL;
	}
	if (!w->o->verify)
		pattern_fill(w->buf, 0, w->buflen, TAG_OP0, w->o->magic);
	for (e = w->o->engines; *e; e++)
		if ((*e)->init)
			(*e)->init(w);	/* an engine that fails carries nothing */
	/*
	 * Its own ops only: each of seed 2's 79 workers used to go through
	 * all 35,558 ops of the plan to find them, every trial.
	 */
	for (k = 0; k < th->nops && !atomic_load(&w->sh->stop); k++) {
		i = th->ops[k];
		fill_write(w, i, &p->ops[i]);
		if (wait_turn(w, i, &p->ops[i]))
			break;
		collide_meet(w, i);
		run_op(w, i);
	}
	for (e = w->o->engines; *e; e++)
		if ((*e)->exit)
			(*e)->exit(w);
	munmap(w->buf, w->buflen);
	return NULL;
}

int worker_process(const struct plan *p, struct replay_shared *sh,
		   const struct trial_opts *o, unsigned int proc, __u64 t0_ns)
{
	struct proc_ctx pc = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.idle = PTHREAD_COND_INITIALIZER,
	};
	struct worker *w = calloc(p->nthreads, sizeof(*w));
	pthread_t *tids = calloc(p->nthreads, sizeof(*tids));
	bool *running = calloc(p->nthreads, sizeof(*running));
	unsigned int t, i;

	pc.maps = calloc(p->nmaps + 1, sizeof(*pc.maps));
	if (!w || !tids || !running || !pc.maps)
		return -ENOMEM;
	for (t = 0; t < p->nthreads; t++) {
		if (p->threads[t].proc != proc)
			continue;
		w[t] = (struct worker){
			.plan = p, .sh = sh, .o = o, .proc = &pc, .thread = t,
			.t0_ns = t0_ns, .rng = o->seed * 1000003 + t,
		};
		running[t] = !pthread_create(&tids[t], NULL, worker_main, &w[t]);
		if (!running[t])
			atomic_store(&sh->stop, 1);
	}
	for (t = 0; t < p->nthreads; t++)
		if (running[t])
			pthread_join(tids[t], NULL);
	for (i = 0; i < p->nmaps; i++)
		if (pc.maps[i])
			munmap(pc.maps[i], p->maps[i].len);
	for (i = 0; i < pc.nfds; i++)
		close(pc.fds[i].fd);
	free(pc.maps);
	free(w);
	free(tids);
	free(running);
	return 0;
}
